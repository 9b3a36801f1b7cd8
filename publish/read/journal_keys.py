"""Keys that other tools' front matter carries for their own use: known, so that a
manuscript written for them builds without a warning for each, and read by nobody
here (the ones we read are in ``schemas`` and ``metadata``)."""

from __future__ import annotations

SHORT_TITLES = ("shorttitle", "short_title", "running-title", "runninghead", "running-head")
"""Other names for the short title of the running heads, read as ``short-title``."""

IGNORED: dict[str, frozenset[str]] = {
    # Open Journals (JOSS, JOSE): the paper's and the review's records, set by the
    # journal's tools, and the AAS co-publication keys of its template.
    "Open Journals": frozenset(
        {
            "aas-doi",
            "aas-journal",
            "codeRepository",
            "repository",
            "archive_doi",
            "paper_url",
            "journal_name",
            "software_repository_url",
            "software_review_url",
            "editor",
            "reviewers",
            "submitted",
            "published",
            "formatted_doi",
            "citation_author",
            "draft",
            "page",
            "year",
            "article-info-file",
            "tags",
        }
    ),
    # R Markdown and rticles: output formats, LaTeX settings and template parts.
    "R Markdown": frozenset(
        {
            "output",
            "biblio-style",
            "header-includes",
            "documentclass",
            "classoption",
            "geometry",
            "fontsize",
            "linestretch",
            "mainfont",
            "fontfamily",
            "toc",
            "toc-depth",
            "number_sections",
            "numbersections",
            "keep_tex",
            "linenumbers",
            "lineno",
            "natbiboptions",
            "params",
            "knit",
            "always_allow_html",
            "editor_options",
            "vignette",
            "journal",
            "preamble",
            "author_summary",
            "significance",
            "acknowledgements",
            "author_contributions",
            "conflict_of_interest",
            "highlights",
            "type",
            "lead_author_surname",
            "pnas_type",
            "corresponding_author",
            "equal_authors",
            "footnote",
            "address",
            "affils",
            "contact",
        }
    ),
    # Quarto: formats, execution, and the journal templates' extra author notes.
    "Quarto": frozenset(
        {
            "format",
            "execute",
            "jupyter",
            "engine",
            "knitr",
            "editor",
            "crossref",
            "filters",
            "number-sections",
            "author-notes",
            "author-summary",
            "citation",
            "appendix-style",
            "funding",
            "categories",
            "image",
            "title-block-banner",
        }
    ),
    # The Programming Historian (Jekyll): its lessons' editorial records.
    "Programming Historian": frozenset(
        {
            "editors",
            "difficulty",
            "activity",
            "topics",
            "review-ticket",
            "avatar_alt",
            "partnership-url",
            "lesson-partners",
            "exclude_from_check",
            "translator",
            "translation-editor",
            "translation-reviewer",
            "translation_date",
            "original",
        }
    ),
    # Jekyll and Hugo sites: how the site files, lists and lays out the page.
    "Jekyll and Hugo": frozenset(
        {
            "layout",
            "permalink",
            "category",
            "excerpt",
            "redirect_from",
            "redirect_to",
            "description",
            "collection",
            "slug",
            "weight",
            "aliases",
            "lastmod",
            "publishDate",
            "expiryDate",
            "summary",
            "series",
            "menu",
            "url",
            "images",
            "featured_image",
            "math",
            "katex",
            "mathjax",
            "comments",
            "share",
        }
    ),
}
"""Top-level keys, by the schema that defines them."""

TOP_LEVEL = frozenset().union(*IGNORED.values()) | {"short-title", *SHORT_TITLES}

AUTHOR = frozenset(
    {
        # Open Journals and Quarto
        "equal-contrib",
        "byline-note",
        "deceased",
        "group",
        "current-address",
        # rticles
        "footnote",
        "thanks",
        "department",
        "location",
        "address",
        # Jekyll themes
        "bio",
        "avatar",
        "twitter",
        "github",
        "website",
    }
)
"""Author keys of those schemas that the normalised author may still carry."""

AFFILIATION = frozenset({"index", "postcode", "addressline", "organization", "code"})
