"""A small rich-text model for what the bot writes to trackers; adapters render it per target.

Text is always literal: an adapter renders `Text` as an ADF text node (Jira Cloud) or escaped
wiki markup (Jira Data Center), never as markup of its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Text:
    """Literal text, optionally strong."""

    text: str
    strong: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """A link whose visible text is literal."""

    text: str
    url: str


Inline = Text | Link


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading (level 1 to 6)."""

    text: str
    level: int = 3


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A run of inline content."""

    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class BulletList:
    """A list whose items are runs of inline content."""

    items: tuple[tuple[Inline, ...], ...]


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """Preformatted literal text (the approved release notes, for instance)."""

    text: str


Block = Heading | Paragraph | BulletList | CodeBlock


@dataclass(frozen=True, slots=True)
class Document:
    """An ordered list of blocks."""

    blocks: tuple[Block, ...]
