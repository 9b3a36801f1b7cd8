"""publish: one semantic Markdown manuscript in; print PDF, EPUB 3 and archival HTML out."""

__version__ = "0.1.0"
