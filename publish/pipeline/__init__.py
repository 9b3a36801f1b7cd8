"""The pipeline a build and ``publish serve`` share, in the order it runs:

``units`` finds the units of work (manuscripts, and issues: an ``issue.yaml`` standing for
its folder of articles); ``stamps`` says which are up to date; ``run`` builds the rest on
an executor (``publish.executors``), each through ``render`` (read once, render every
edition in memory, write them all or none) into an ``outcome``; ``progress`` tells the
person waiting. ``publish.build`` is the command around it.
"""
