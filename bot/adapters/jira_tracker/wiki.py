"""Documents as Jira wiki markup (Data Center), where untrusted text is escaped to stay literal.

Text goes through the notes renderer's `escape_jira`, which sees one piece of text at a time and
collapses its whitespace; this module keeps the spaces between pieces, escapes a lone `?` at a
piece's edge (two pieces could otherwise meet as `??`, a citation) and treats each line of a
paragraph as its own line, so no piece ever forms markup together with its neighbours.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.adapters.renderer import escape_jira, link, safe_href
from bot.domain.document import (
    Block,
    BulletList,
    CodeBlock,
    Document,
    Heading,
    Inline,
    Link,
    Paragraph,
    Text,
)

# Inside {noformat} nothing is markup except its own end; a zero-width space after the brace
# keeps one in the text from closing the block early.
_NOFORMAT = re.compile(r"\{(?=noformat)", re.IGNORECASE)
_ZERO_WIDTH_SPACE = "\u200b"
_ESCAPED = re.compile(r"\\(.)")
_HEADING = re.compile(r"^h[1-6]\. ", re.MULTILINE)
_BACKSLASH_ENTITY = "&#92;"


def to_wiki(document: Document) -> str:
    """The document as one wiki-markup string (the body of a v2 comment or description)."""
    return "\n\n".join(_block(block) for block in document.blocks)


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 6)
        return f"h{level}. {escape_jira(block.text)}"
    if isinstance(block, Paragraph):
        return _run(block.content, multiline=True)
    if isinstance(block, BulletList):
        # A line break would end the list item, so items stay on one line.
        return "\n".join(f"* {_run(item, multiline=False)}" for item in block.items)
    return _code(block)


def _code(block: CodeBlock) -> str:
    text = _NOFORMAT.sub("{" + _ZERO_WIDTH_SPACE, block.text)
    return f"{{noformat}}\n{text}\n{{noformat}}"


def _run(content: Sequence[Inline], *, multiline: bool) -> str:
    return "".join(_inline(item, multiline=multiline) for item in content)


def _inline(item: Inline, *, multiline: bool) -> str:
    if isinstance(item, Link):
        if not item.text.strip():
            target = safe_href(item.url)
            return f"[{target}]" if target else ""
        return link(item.text, item.url, "jira")
    return _text(item, multiline=multiline)


def _text(item: Text, *, multiline: bool) -> str:
    if multiline and not item.strong:
        # Each line is escaped on its own so that markup at the start of a line stays literal.
        return "\n".join(_piece(line, strong=False) for line in item.text.split("\n"))
    return _piece(item.text, strong=item.strong)


def _piece(text: str, *, strong: bool) -> str:
    core = escape_jira(text)
    if not core:
        return " " if text else ""
    if core.startswith("?"):
        core = "\\" + core
    if core.endswith("?") and not core.endswith("\\?"):
        core = core[:-1] + "\\?"
    if strong:
        core = f"*{core}*"
    lead = " " if text[0].isspace() else ""
    trail = " " if text[-1].isspace() else ""
    return lead + core + trail


def wiki_plain_text(body: str) -> str:
    """A wiki-markup body with its escapes and heading prefixes undone (enough to find the
    bot's markers in it)."""
    text = _ESCAPED.sub(r"\1", _HEADING.sub("", body))
    return text.replace(_BACKSLASH_ENTITY, "\\")
