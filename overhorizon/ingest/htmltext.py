"""HTML fragments (feed content, summaries) to plain text with paragraph breaks."""

from __future__ import annotations

import html as html_lib
import re

_BLOCK_TAGS = (
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "tr",
    "table",
    "section",
    "article",
    "figure",
    "figcaption",
    "hr",
)
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg")
_TAG_RE = re.compile(r"<[a-zA-Z/!]")


def fragment_to_text(fragment: str) -> str:
    """Return the text of an HTML fragment, one paragraph per block element."""
    if not _TAG_RE.search(fragment):
        return html_lib.unescape(fragment)
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment))
    for el in root.iter(*_DROP_TAGS):
        el.drop_tree()
    for el in root.iter(*_BLOCK_TAGS):
        el.tail = "\n\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n\n" + (el.text or "")
    return str(root.text_content())
