"""Periodical issues: a folder with an ``issue.yaml`` is built as one issue.

``schema`` reads ``issue.yaml``; ``discover`` finds issue folders among the paths of a
build; ``layout`` sets the whole issue in one WeasyPrint document and reads back where
every article and every page begins; ``pages`` carries that into each article's own
editions; ``pdf``, ``epub`` and ``contents`` write the issue's editions and its
contents pages; ``archive`` the home page, sitemap and feed of the build folder;
``build`` runs it all for one issue.
"""
