"""The slice of JQL the fake Jira understands: field comparisons joined by AND/OR, and ORDER BY."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

FIELDS = frozenset(
    {"project", "labels", "sprint", "key", "issuekey", "id", "issuetype", "type", "status"}
)
_TOKEN = re.compile(
    r"""\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(!=|!~|[=~(),])|([^\s=!~(),"']+))"""
)


class JqlError(ValueError):
    """The query cannot be parsed or names a field the fake does not know (Jira answers 400)."""


@dataclass(frozen=True, slots=True)
class Clause:
    """`field op values`: a value is a literal or a function call such as openSprints()."""

    field: str
    op: str
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Either:
    """OR of its parts."""

    parts: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Both:
    """AND of its parts."""

    parts: tuple[Node, ...]


Node = Clause | Either | Both


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: the condition (None matches everything) and ORDER BY (field, descending)."""

    where: Node | None
    order: tuple[tuple[str, bool], ...]


def _tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) pairs; kind is 'str' for quoted values, 'op' or 'word'."""
    found: list[tuple[str, str]] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise JqlError(f"Error in the JQL Query: unexpected text at {text[position:]!r}")
        double, single, op, word = match.groups()
        if op is not None:
            found.append(("op", op))
        elif word is not None:
            found.append(("word", word))
        else:
            found.append(("str", re.sub(r"\\(.)", r"\1", double if double is not None else single)))
        position = match.end()
    return found


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def keyword(self, *words: str) -> bool:
        token = self.peek()
        if token and token[0] == "word" and token[1].lower() == words[0]:
            following = self.tokens[self.at + 1 : self.at + len(words)]
            if [t[1].lower() for t in following] == list(words[1:]):
                self.at += len(words)
                return True
        return False

    def take(self, what: str) -> str:
        token = self.peek()
        if token is None:
            raise JqlError(f"Error in the JQL Query: expected {what} at the end of the query")
        self.at += 1
        return token[1]

    def query(self) -> Query:
        where = None if self.peek() is None or self._at_order() else self.either()
        order: list[tuple[str, bool]] = []
        if self.keyword("order", "by"):
            while True:
                field = self.take("a field").lower()
                descending = self.keyword("desc")
                if not descending:
                    self.keyword("asc")
                order.append((field, descending))
                if self.peek() != ("op", ","):
                    break
                self.at += 1
        left = self.peek()
        if left is not None:
            raise JqlError(f"Error in the JQL Query: unexpected {left[1]!r}")
        return Query(where=where, order=tuple(order))

    def _at_order(self) -> bool:
        token = self.peek()
        return token is not None and token[0] == "word" and token[1].lower() == "order"

    def either(self) -> Node:
        parts = [self.both()]
        while self.keyword("or"):
            parts.append(self.both())
        return parts[0] if len(parts) == 1 else Either(tuple(parts))

    def both(self) -> Node:
        parts = [self.term()]
        while self.keyword("and"):
            parts.append(self.term())
        return parts[0] if len(parts) == 1 else Both(tuple(parts))

    def term(self) -> Node:
        if self.peek() == ("op", "("):
            self.at += 1
            node = self.either()
            if self.take("')'") != ")":
                raise JqlError("Error in the JQL Query: expected ')'")
            return node
        field = self.take("a field").lower()
        if field not in FIELDS:
            raise JqlError(
                f"Field '{field}' does not exist or you do not have permission to view it."
            )
        return Clause(field=field, op=self.operator(), values=self.operand())

    def operator(self) -> str:
        if self.keyword("not", "in"):
            return "not in"
        if self.keyword("in"):
            return "in"
        if self.keyword("is", "not"):
            return "is not"
        if self.keyword("is"):
            return "is"
        op = self.take("an operator")
        if op not in ("=", "!=", "~", "!~"):
            raise JqlError(f"Error in the JQL Query: {op!r} is not an operator")
        return op

    def operand(self) -> tuple[str, ...]:
        if self.peek() != ("op", "("):
            return (self.value(),)
        self.at += 1
        values = [self.value()]
        while self.take("',' or ')'") == ",":
            values.append(self.value())
        return tuple(values)

    def value(self) -> str:
        kind = (self.peek() or ("", ""))[0]
        word = self.take("a value")
        if kind == "word" and self.peek() == ("op", "("):
            self.at += 1
            if self.take("')'") != ")":
                raise JqlError("Error in the JQL Query: functions take no arguments here")
            return f"{word.lower()}()"
        return word


def parse(text: str) -> Query:
    """Parse JQL; raises JqlError with the message Jira would give."""
    return _Parser(text).query()


def matches(
    node: Node | None,
    *,
    values: Callable[[str], Sequence[str]],
    functions: Mapping[str, Sequence[str]],
) -> bool:
    """Whether an issue, seen through `values(field)`, satisfies the condition."""
    if node is None:
        return True
    if isinstance(node, Either):
        return any(matches(p, values=values, functions=functions) for p in node.parts)
    if isinstance(node, Both):
        return all(matches(p, values=values, functions=functions) for p in node.parts)
    have = {v.lower() for v in values(node.field)}
    wanted: set[str] = set()
    for value in node.values:
        if value.endswith("()"):
            if value not in functions:
                raise JqlError(f"Unable to find JQL function '{value}'.")
            wanted.update(v.lower() for v in functions[value])
        else:
            wanted.add(value.lower())
    return _compare(node.op, have, wanted)


def _compare(op: str, have: set[str], wanted: set[str]) -> bool:
    if op in ("is", "is not"):
        empty = not have
        return empty if op == "is" else not empty
    if op == "~":
        return any(w in h for h in have for w in wanted)
    if op == "!~":
        return not any(w in h for h in have for w in wanted)
    hit = bool(have & wanted)
    return hit if op in ("=", "in") else not hit
