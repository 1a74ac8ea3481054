"""Release notes rendered by Jinja2 in a sandbox, with escaping filters for each target format."""

from __future__ import annotations

import re
import traceback
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from bot.adapters.digest_sample import digest_problems
from bot.errors import TemplateError, UsageError

FORMATS = ("markdown", "slack", "jira")

# Markdown: characters that start code, emphasis, links, HTML or tables anywhere in a line, and
# underscores that can open or close emphasis (snake_case stays as it is, for readability).
_MD_INLINE = re.compile(r"[\\`*\[\]<{}|~]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
# ... and what makes a heading, quote, list or rule, which counts only at the start of a line.
_MD_LEADING = re.compile(r"(?:#{1,6}|[+\-]|\d{1,9}[.)])(?=\s|$)|>|-(?=-)")
# Jira wiki markup: macros, links, mentions, images, tables and the inline effects.
_JIRA_INLINE = re.compile(
    r"[\[\]{}|!*_+^~]"
    r"|(?<![0-9A-Za-z])-|-(?![0-9A-Za-z])"  # strike-through and dashes; keeps PAY-77 whole
    r"|\?(?=\?)|(?<=\?)\?"  # ??citation??
)
_JIRA_LEADING = re.compile(r"#(?=[\s#*]|$)|h[1-6]\.|bq\.", re.IGNORECASE)
# A backslash would pair with the next escape into a Jira line break, so it becomes an entity.
_JIRA_BACKSLASH = "&#92;"
_MRKDWN = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# Kept as they are in link targets; everything else that could end a link is percent-encoded.
_URL_SAFE = "-._~:/?#@$&+,;=%"


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def escape_markdown(value: object) -> str:
    """Inline Markdown text that cannot turn into a link, heading, list, table, code or HTML."""
    text = _MD_INLINE.sub(lambda m: "\\" + m.group(), _one_line(value))
    leading = _MD_LEADING.match(text)
    if leading:
        # Digits cannot be escaped, so `1.` becomes `1\.`; markers like `##` take a leading `\`.
        cut = leading.end() - 1 if text[0].isdigit() else 0
        text = text[:cut] + "\\" + text[cut:]
    return text


def escape_mrkdwn(value: object) -> str:
    """Slack mrkdwn text: `&`, `<` and `>` become entities, so no mention or link can form."""
    return _one_line(value).translate(_MRKDWN)


def escape_jira(value: object) -> str:
    """Jira wiki text shown literally: special characters are backslash-escaped."""
    text = _one_line(value).replace("\\", _JIRA_BACKSLASH)
    text = _JIRA_INLINE.sub(lambda m: "\\" + m.group(), text)
    leading = _JIRA_LEADING.match(text)
    if leading:
        text = "\\" + text if leading.group() == "#" else text[:2] + "\\" + text[2:]
    return text


def safe_href(value: object) -> str:
    """An http(s) URL safe inside any target's link syntax, or "" for anything else."""
    if not isinstance(value, str):
        return ""
    url = value.strip()
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in ("http", "https") or not rest:
        return ""
    return quote(url, safe=_URL_SAFE)


# What `obj.name` finds on a dict before its items: its methods and other attributes.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class _NotesEnvironment(SandboxedEnvironment):
    """The sandbox, with `c.title` on a dict looked up as the item it always resolves to.

    Jinja2 tries the attribute first and the item after the AttributeError; the notes' data is
    all dicts, so that failed lookup came once per field of every change. A name that is a
    dict attribute still takes the sandbox's own way, so every lookup resolves as before.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def shipped_templates_dir() -> Path:
    """The folder of the templates shipped with the bot.

    A wheel carries them inside the package (`bot/templates`, which setup.py maps from the
    repository's top-level `templates/`); an editable install or a source tree has them in that
    top-level folder, beside the package.
    """
    package = Path(str(resources.files("bot")))
    installed = package / "templates"
    return installed if installed.is_dir() else package.parent / "templates"


class JinjaRenderer:
    """Renders `notes.<format>.j2`, taking each template from `templates_dir` when it is there.

    Templates run in Jinja2's sandbox with `StrictUndefined`; nothing is escaped implicitly, so
    each template passes untrusted text through its target's filter: `md`, `mrkdwn` or `jira`
    (or `esc(fmt)`), and link targets through `href`.
    """

    def __init__(self, *, templates_dir: Path | None) -> None:
        loaders: list[jinja2.BaseLoader] = []
        if templates_dir is not None:
            if not templates_dir.is_dir():
                raise TemplateError(
                    f"The templates folder {templates_dir} (notes.templates_dir) does not exist."
                )
            loaders.append(jinja2.FileSystemLoader(templates_dir))
        shipped = shipped_templates_dir()
        if not shipped.is_dir():
            raise TemplateError(
                f"The shipped templates are missing: {shipped} is not a folder; "
                "reinstall release-train."
            )
        loaders.append(jinja2.FileSystemLoader(shipped))
        self._env = _NotesEnvironment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self._env.filters.update(
            md=escape_markdown,
            mrkdwn=escape_mrkdwn,
            jira=escape_jira,
            href=safe_href,
            esc=_escape_for,
            link=link,
        )

    def render_notes(self, *, context: Mapping[str, Any], fmt: str) -> str:
        """The notes in `fmt` (markdown, slack or jira); TemplateError when they do not render."""
        if fmt not in FORMATS:
            raise UsageError(f"Unknown notes format {fmt!r}; choose one of {', '.join(FORMATS)}.")
        return self.render_template(name=f"notes.{fmt}.j2", context=context)

    def render_template(self, *, name: str, context: Mapping[str, Any]) -> str:
        """Any template by file name (notes, digest); TemplateError when it does not render."""
        try:
            return self._env.get_template(name).render(dict(context))
        except jinja2.TemplateNotFound as exc:
            missing = "it" if exc.name == name else f"the template {exc.name} it imports"
            raise TemplateError(
                f"The template {name} does not render: {missing} was not found."
            ) from exc
        except Exception as exc:  # anything a template raises is a problem of that template
            raise TemplateError(_describe(exc, name)) from exc

    def check_templates(self) -> list[str]:
        """Render every notes and digest template with sample data, hostile titles included."""
        problems: list[str] = []
        for fmt in FORMATS:
            try:
                text = self.render_notes(context=SAMPLE_CONTEXT, fmt=fmt)
            except TemplateError as exc:
                problems.append(str(exc))
                continue
            if _UNESCAPED[fmt] in text:
                problems.append(
                    f"The template notes.{fmt}.j2 prints a change title without escaping it."
                )
        problems += digest_problems(self.render_template)
        return problems


def link(text: object, url: object, fmt: str) -> str:
    """A link in `fmt` with escaped text; the text alone when `url` is not an http(s) URL."""
    escaped = _escape_for(text, fmt)
    target = safe_href(url)
    if not target:
        return escaped
    if fmt == "slack":
        return f"<{escape_mrkdwn(target)}|{escaped}>"
    if fmt == "jira":
        return f"[{escaped}|{target}]"
    return f"[{escaped}]({target})"


def _escape_for(value: object, fmt: str) -> str:
    escaper = _ESCAPERS.get(fmt)
    if escaper is None:
        raise ValueError(f"the format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    return escaper(value)


_ESCAPERS = {"markdown": escape_markdown, "slack": escape_mrkdwn, "jira": escape_jira}


def _describe(exc: BaseException, name: str) -> str:
    """One sentence naming the template file and line where `exc` arose."""
    filename: str | None = name
    lineno: int | None = None
    if isinstance(exc, jinja2.TemplateSyntaxError):
        filename, lineno = exc.filename or exc.name or name, exc.lineno
        detail = exc.message or "invalid syntax"
    else:
        # Jinja2 rewrites tracebacks so that template frames carry the template's file and line.
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".j2")]
        if frames:
            filename, lineno = frames[-1].filename, frames[-1].lineno
        detail = str(exc) or type(exc).__name__
    where = f"{filename}, line {lineno}" if lineno else filename
    return f"The template {where} does not render: {detail.rstrip('.')}."


def _sample_change(number: int, title: str, **extra: Any) -> dict[str, Any]:
    change: dict[str, Any] = {
        "id": f"github:acme/payments-api#{number}",
        "short_id": f"#{number}",
        "title": title,
        "full_title": title,
        "url": f"https://github.com/acme/payments-api/pull/{number}",
        "source": "payments-api",
        "author": "alice",
        "merged_at": "2026-11-20T10:00:00+00:00",
        "merged_on": "2026-11-20",
        "release_class": "continuous",
        "category": "feature",
        "jira_keys": ["PAY-77"],
        "flag": None,
        "reasons": ["additive change"],
        "violation": None,
        "reverts": None,
        "reverted_by": None,
    }
    change.update(extra)
    return change


_HOSTILE = "<!channel> [~accountid:x] !http://evil.test/a.png! [x](http://evil.test) {{ 7*7 }}"
# What each format's output shows when a template prints the hostile title unescaped.
_UNESCAPED = {"markdown": "[x](http://evil.test)", "slack": "<!channel>", "jira": "[~accountid:"}
_SAMPLE_NEEDS_FLAG = _sample_change(
    420,
    _HOSTILE,
    release_class="needs-flag",
    category="data",
    url=None,
    violation="Changes customer data sets without a feature flag.",
)
SAMPLE_CONTEXT: Mapping[str, Any] = {
    "train": "payments",
    "timezone": "Europe/Berlin",
    "sprint": {
        "name": "Sprint 42",
        "id": "42",
        "start": "2026-11-15T23:00:00+00:00",
        "end": "2026-11-29T23:00:00+00:00",
        "first_day": "2026-11-16",
        "last_day": "2026-11-29",
        "dates": "16 Nov \u2013 29 Nov 2026",
    },
    "ticket": {"key": "PAY-123", "url": "https://acme.atlassian.net/browse/PAY-123"},
    "draft": {
        "version": 2,
        "state": "approved",
        "approved_by": "U0123456789",
        "approved_at": "2026-11-27T09:00:00+00:00",
        "approved_at_local": "2026-11-27 10:00",
    },
    "sections": [
        {
            "category": "feature",
            "heading": "Features",
            "changes": [
                _sample_change(418, "feat: add refund reason field"),
                _sample_change(419, "New checkout", release_class="flagged", flag="new-checkout"),
            ],
        },
        {"category": "data", "heading": "Data", "changes": [_SAMPLE_NEEDS_FLAG]},
    ],
    "violations": [
        {
            **{k: _SAMPLE_NEEDS_FLAG[k] for k in ("id", "short_id", "title", "url", "source")},
            "rule": "needs-flag",
            "message": _SAMPLE_NEEDS_FLAG["violation"],
            "waiver": None,
        }
    ],
    "waived": [
        {
            **{k: _SAMPLE_NEEDS_FLAG[k] for k in ("id", "short_id", "title", "url", "source")},
            "rule": "needs-flag",
            "message": _SAMPLE_NEEDS_FLAG["violation"],
            "waiver": {"reason": "agreed with support, no customer impact", "by": "trailer"},
        }
    ],
    "customer_communication": [_SAMPLE_NEEDS_FLAG],
    "reverts": [
        _sample_change(421, 'Revert "Old export"', category="revert", reverts="git:ledger:ab12")
    ],
    "contributors": ["alice"],
    "counts": {
        "continuous": 2,
        "flagged": 1,
        "needs-flag": 1,
        "migration-expand": 0,
        "migration-contract": 0,
    },
    "total": 4,
    "omitted": 0,
}
