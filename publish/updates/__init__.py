"""Corrections, retractions and versions: what a manuscript says of other articles of the
build (a notice and the articles it ``updates``) and of its own earlier versions, found
before any unit is built, so that each edition of an updated article carries its notices
and each current version lists the versions kept before it (``model`` is the plain data
the editions read from ``Document.updates``)."""
