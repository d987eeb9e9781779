"""Template loaders that trim a marked template's source at load time: pages built of long loops (the grid of a
quadro: hundreds of cells) otherwise send their indentation and the line of every tag, once per cell.

A template that starts with ``{# compatto #}`` loses, when it is loaded (so once per process, with Django's cached
loader in front), its ``{% comment %}`` blocks, the indentation at the start of each line, the line break after a
line made only of template tags (``{% if %}``, ``{% endfor %}``, …) or comments, and its final line break (an
included piece adds no empty line). Only the template's own text changes: what a variable brings
(a user's text in a ``<textarea>``, a value) is never touched, and a line of text keeps its line break, so words on
two lines stay apart. Leave the mark off a template whose source holds a ``<pre>`` or a multi-line literal text
where the indentation matters (plain-text e-mails).
"""

from __future__ import annotations

import re

from django.template import Origin
from django.template.loaders import app_directories, filesystem

MARK = "{# compatto #}"
_COMMENT_BLOCK = re.compile(r"\{% comment %\}.*?\{% endcomment %\}\n?", re.DOTALL)
_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)
_TAG = r"\{%(?:[^%\n]|%(?!\}))*%\}"  # one {% … %} on one line
_NOTE = r"\{#(?:[^#\n]|#(?!\}))*#\}"  # one {# … #}
_TAGS_ONLY_LINE = re.compile(rf"^((?:{_TAG}|{_NOTE})+)\n", re.MULTILINE)


def compact(source: str) -> str:
    """The source of a template marked with MARK without its comment blocks, its indentation, the line breaks of its
    tag-only lines and its final line break; any other source unchanged."""
    if not source.startswith(MARK):
        return source
    source = _INDENT.sub("", _COMMENT_BLOCK.sub("", source[len(MARK) :]))
    return _TAGS_ONLY_LINE.sub(r"\1", source).rstrip("\n")


class FilesystemLoader(filesystem.Loader):
    """Django's filesystem loader (TEMPLATES' DIRS), with the marked templates compacted."""

    def get_contents(self, origin: Origin) -> str:
        return compact(super().get_contents(origin))


class AppDirectoriesLoader(app_directories.Loader):
    """Django's loader of the apps' templates folders, with the marked templates compacted."""

    def get_contents(self, origin: Origin) -> str:
        return compact(super().get_contents(origin))
