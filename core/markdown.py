"""Markdown to safe HTML: Python-Markdown renders, nh3 keeps only a small allow-list of tags and attributes.

`<script>`, `<style>`, event handlers and `javascript:` links never reach the page, whatever the author typed.
"""

from __future__ import annotations

import markdown as _markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "blockquote", "code", "pre", "hr",
    "h2", "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "caption", "sup", "sub",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope", "colspan", "rowspan"}, "td": {"colspan", "rowspan"}}


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        clean_content_tags={"script", "style"},
    )


def render_markdown(text: str | None) -> SafeString:
    """Render Markdown (tables and lists included) and sanitise the HTML."""
    if not text:
        return mark_safe("")
    html = _markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return mark_safe(sanitize_html(html))  # safe: sanitised by nh3 just above
