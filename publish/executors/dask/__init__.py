"""Building on a Dask cluster: ``publish build --scheduler tcp://HOST:PORT``.

In four parts: ``client`` (this side: connect, submit, write what comes back),
``parcel`` (what travels), ``worker`` (the other side) and ``fingerprint`` (the same
software on both sides).

The same shape of executor as ``executors/local.py``: it builds a list of units (manuscripts, and
issues: an ``issue.yaml`` with every article of its folder, one task, since an article's
pages depend on the articles before it) and hands back each ``Outcome``. Up-to-date
checks, stamps and writing stay here, on the client; a worker needs ``publish`` installed
and nothing else (no shared file system).

What travels: each manuscript's bytes (an issue's: its ``issue.yaml`` and every
manuscript of its folder), and the files of its folder it may use. Which
files a manuscript uses is only known once it is read, so the client sends every file of
the manuscript's folder that its text or the user's templates name (a cheap scan: a file
is named when its base name occurs among the words of the text, or in it at all for odd
names), and the files its stamp recorded last time. Every look-up a build makes starts
from such a name (an image, a link, a stylesheet's ``url()``), so a file named nowhere
cannot change the editions and need not travel. A named file above ``SEND_LIMIT`` (a
large PDF beside the article, which a link only checks for) goes as an empty stand-in
of the same name; the worker watches, with an audit hook, whether the build opens a
stand-in, and if it does, the client sends that file and the manuscript is built again.
The folders of ``--resource-path`` are scanned the same way. Folders named by the
options (``--templates``) go whole, once per worker.

The worker rebuilds each folder in a private temporary folder with the same relative
layout and the same names, renders every edition to bytes, and returns them with the
diagnostics, whose paths the client maps back to its own.
"""
