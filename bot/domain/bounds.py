"""Keeping text written to a service within its length limits, cutting only untrusted text.

Services count differently: Jira (Java) counts UTF-16 code units, so an emoji is two; pass the
service's measure. A cut text ends with an ellipsis, so a reader sees it was shortened.
`bound_document` shortens the longest texts of a rich-text document first (never one of
SHORTEST_CUT characters or fewer: labels, markers and counts stay whole), then leaves out
trailing list items, and says what it cut in a closing paragraph; headings and the document's
shape are kept. A call renders the document a few dozen times at most.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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

ELLIPSIS = "…"
SHORTEST_CUT = 200

Measure = Callable[[str], int]
Size = Callable[[Document], int]


def utf16_length(text: str) -> int:
    """The length Java (and so Jira) gives `text`: UTF-16 code units."""
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


def cut_text(text: str, limit: int, *, measure: Measure = len) -> str:
    """`text` if it fits in `limit`, else its longest start that fits with an ellipsis after it."""
    if measure(text) <= limit:
        return text
    room = limit - measure(ELLIPSIS)
    if room < 0:
        return ""
    low, high = 0, min(len(text), max(room, 0))
    while low < high:  # the longest start that fits: the measure grows with the start
        middle = (low + high + 1) // 2
        if measure(text[:middle]) <= room:
            low = middle
        else:
            high = middle - 1
    return text[:low] + ELLIPSIS


@dataclass(frozen=True, slots=True)
class Bounded:
    """A document within its limit, and how much was cut to get there."""

    document: Document
    cut_texts: int = 0
    left_out_items: int = 0

    @property
    def cut(self) -> bool:
        return bool(self.cut_texts or self.left_out_items)


def bound_document(document: Document, *, limit: int, size: Size, what: str) -> Bounded:
    """`document` within `limit` as `size` measures it; when cut, a last paragraph says so.

    `what` names the limit for readers ("Jira's 32,767-character comment limit"). Raises
    ValueError when even the document's shape alone does not fit.
    """
    if size(document) <= limit:
        return Bounded(document)
    budget = limit - (size(_noted(document, what, 9999, 9999)) - size(document))
    cap = _largest_cap(document, budget, size)
    capped = _capped(document, cap)
    texts = sum(1 for t in _texts(document) if len(t) > cap)
    capped, left_out = _leave_out_items(capped, budget, size)
    if size(capped) > budget:
        raise ValueError(f"the text does not fit in {what}, even with every part cut short")
    return Bounded(_noted(capped, what, texts, left_out), cut_texts=texts, left_out_items=left_out)


def _noted(document: Document, what: str, texts: int, items: int) -> Document:
    parts = [f"{texts} text(s) shortened"] if texts else []
    parts += [f"{items} list item(s) left out"] if items else []
    note = f"Shortened to fit {what}: {', '.join(parts)}."
    return Document((*document.blocks, Paragraph((Text(note),))))


def _largest_cap(document: Document, budget: int, size: Size) -> int:
    """The largest text length that makes the document fit, but never below SHORTEST_CUT."""
    longest = max((len(t) for t in _texts(document)), default=0)
    low, high = SHORTEST_CUT, max(SHORTEST_CUT, longest)
    while low < high:
        middle = (low + high + 1) // 2
        if size(_capped(document, middle)) <= budget:
            low = middle
        else:
            high = middle - 1
    return low


def _leave_out_items(document: Document, budget: int, size: Size) -> tuple[Document, int]:
    """Leave out the last items of the largest lists, one at a time, until the document fits."""
    lists = {i: b for i, b in enumerate(document.blocks) if isinstance(b, BulletList)}
    keep = {i: len(b.items) for i, b in lists.items()}
    current = document
    while size(current) > budget and any(keep.values()):
        at = max(
            (i for i, kept in keep.items() if kept),
            key=lambda i: size(Document((current.blocks[i],))),
        )
        keep[at] -= 1
        current = _shortened_lists(document, lists, keep)
    return current, sum(len(b.items) - keep[i] for i, b in lists.items())


def _shortened_lists(
    document: Document, lists: dict[int, BulletList], keep: dict[int, int]
) -> Document:
    blocks = list(document.blocks)
    for at, block in lists.items():
        hidden = len(block.items) - keep[at]
        if hidden:
            more = (Text(f"{ELLIPSIS} {hidden} more not shown"),)
            blocks[at] = BulletList((*block.items[: keep[at]], more))
    return Document(tuple(blocks))


def _texts(document: Document) -> list[str]:
    texts: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading | CodeBlock):
            texts.append(block.text)
        elif isinstance(block, Paragraph):
            texts += [node.text for node in block.content]
        else:
            texts += [node.text for item in block.items for node in item]
    return texts


def _capped(document: Document, cap: int) -> Document:
    """Every text longer than `cap` characters cut to `cap` (the ellipsis included)."""
    return Document(tuple(_capped_block(block, cap) for block in document.blocks))


def _capped_block(block: Block, cap: int) -> Block:
    if isinstance(block, Heading):
        return Heading(cut_text(block.text, cap), level=block.level)
    if isinstance(block, CodeBlock):
        return CodeBlock(cut_text(block.text, cap))
    if isinstance(block, Paragraph):
        return Paragraph(_capped_run(block.content, cap))
    return BulletList(tuple(_capped_run(item, cap) for item in block.items))


def _capped_run(run: tuple[Inline, ...], cap: int) -> tuple[Inline, ...]:
    return tuple(
        Link(cut_text(node.text, cap), node.url)
        if isinstance(node, Link)
        else Text(cut_text(node.text, cap), strong=node.strong)
        for node in run
    )
