"""The Jinja2 renderer: shipped templates against golden files, escaping, user templates, errors.

Set RELEASE_TRAIN_UPDATE_GOLDEN=1 to rewrite the golden files from the current output.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from jinja2.exceptions import SecurityError

from bot.adapters.renderer import (
    SAMPLE_CONTEXT,
    JinjaRenderer,
    escape_jira,
    escape_markdown,
    escape_mrkdwn,
    safe_href,
)
from bot.domain.model import (
    Category,
    Change,
    Classification,
    DraftState,
    RecordedChange,
    ReleaseClass,
    Sprint,
    Waiver,
)
from bot.errors import TemplateError, UsageError
from bot.services.notes.context import build_notes_context

GOLDEN = Path(__file__).parent.parent / "golden" / "notes"
OUTPUT_NAMES = {"markdown": "notes.md", "slack": "notes.slack.txt", "jira": "notes.jira.txt"}
START = datetime(2026, 11, 15, 23, 0, tzinfo=UTC)
SPRINT = Sprint(name="Sprint 42", start=START, end=START + timedelta(days=14), id="42")
TICKET = {"key": "PAY-123", "url": "https://acme.atlassian.net/browse/PAY-123"}

C, F, NF = ReleaseClass.CONTINUOUS, ReleaseClass.FLAGGED, ReleaseClass.NEEDS_FLAG
EXPAND, CONTRACT = ReleaseClass.MIGRATION_EXPAND, ReleaseClass.MIGRATION_CONTRACT


def change(
    n: int,
    title: str,
    category: Category = Category.FEATURE,
    release_class: ReleaseClass = ReleaseClass.CONTINUOUS,
    /,
    **extra: Any,
) -> RecordedChange:
    """A recorded GitHub change; `extra` sets Change, Classification or RecordedChange fields."""
    base = Change(
        id=f"github:acme/payments-api#{n}",
        source="payments-api",
        title=title,
        merged_at=START + timedelta(hours=n),
        author="alice",
        url=f"https://github.com/acme/payments-api/pull/{n}",
        number=n,
    )
    classification = Classification(
        release_class=release_class, category=category, reasons=("sample",)
    )
    rec = RecordedChange(change=base, classification=classification, train="payments", sprint="S")
    for target in ("change", "classification"):
        fields = {k: extra.pop(k) for k in list(extra) if hasattr(getattr(rec, target), k)}
        rec = replace(rec, **{target: replace(getattr(rec, target), **fields)})
    return replace(rec, **extra)


def typical() -> list[RecordedChange]:
    ledger_sha = "9f8e7d6c5b4a39281706f5e4d3c2b1a098765432"
    return [
        change(1, "feat(api): add refund reason field", jira_keys=("PAY-77",)),
        change(2, "New checkout page", Category.UI, F, flag="new-checkout", author="bob"),
        change(3, "feat(api): v2 refunds endpoint", Category.API),
        change(4, "Recompute balances for merged accounts", Category.DATA, NF,
               reasons=("labelled data-impact: changes customer data sets",),
               violation="Changes customer data sets without a feature flag.", author="carol"),
        change(5, "perf: cache exchange rates", Category.PERFORMANCE),
        change(6, "fix: rounding of refunds", Category.FIX, jira_keys=("PAY-80", "PAY-81")),
        change(7, "Add column refunds.reason", Category.MIGRATION, EXPAND),
        change(8, "Drop column refunds.note", Category.MIGRATION, CONTRACT,
               violation="Drops refunds.note in the same train as the expand that replaced it."),
        change(9, "Bump dependencies", Category.OTHER, author="dependabot[bot]"),
        change(10, "Nightly ledger export", Category.FEATURE, id="git:ledger:" + ledger_sha,
               source="ledger", number=None, sha=ledger_sha, url=None),
        change(11, "Refresh the settings page", Category.UI, id="gitlab:acme/web!12",
               source="web", number=12, url="https://gitlab.com/acme/web/-/merge_requests/12"),
        change(12, "feat!: retire the v1 refunds export", Category.FEATURE, NF,
               violation="Needs a feature flag (backwards-incompatible: conventional commit "
               "'feat!') but names none.",
               waiver=Waiver(reason="agreed with support, no customer uses v1", by="trailer")),
    ]  # fmt: skip


def reverts() -> list[RecordedChange]:
    return [
        change(1, "fix: keep the old export", Category.FIX),
        change(2, "Risky rewrite", reverted_by="github:acme/payments-api#3", author="mallory"),
        change(3, 'Revert "Risky rewrite"', Category.REVERT, author="bob",
               reverts="github:acme/payments-api#2"),
        change(4, 'Revert "Slow report" (from the previous sprint)', Category.REVERT,
               reverts="github:acme/payments-api#400"),
    ]  # fmt: skip


def hostile() -> list[RecordedChange]:
    return [
        change(1, "[~accountid:x] !http://evil.test/a.png! {code}x{code} {color:red}red{color}",
               author="<@U123>"),
        change(2, "<!channel> <@U123> <https://evil|click> & friends", Category.FIX,
               url="https://github.com/acme/payments-api/pull/2?a=1&b=<2>|x"),
        change(3, "**bold** [x](http://evil) # heading", Category.OTHER, url="javascript:alert(1)"),
        change(4, "{{ 7*7 }} {% raw %} {# c #}", Category.DATA, NF, flag=None,
               violation="Changes customer data sets without a feature flag."),
        change(5, "# heading", Category.UI, F, flag="<!here>"),
        change(6, "h1. Heading | cell | *bold* _it_ -strike- +u+ ^s^ ~t~ ??c?? C:\\temp\\*",
               Category.API, jira_keys=("PAY-1",)),
        change(7, "- 1. > quote\nsecond line", Category.PERFORMANCE),
    ]  # fmt: skip


SCENARIOS: dict[str, Callable[[], list[RecordedChange]]] = {
    "typical": typical,
    "empty": list,
    "reverts": reverts,
    "hostile": hostile,
}


def context_for(scenario: str) -> dict[str, Any]:
    return build_notes_context(
        train="payments",
        sprint=SPRINT,
        changes=SCENARIOS[scenario](),
        ticket=None if scenario == "empty" else TICKET,
        draft=DraftState(),
        tz="Europe/Berlin",
    )


@pytest.fixture(scope="module")
def shipped() -> JinjaRenderer:
    return JinjaRenderer(templates_dir=None)


@pytest.mark.parametrize("fmt", list(OUTPUT_NAMES))
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_shipped_templates_match_golden_files(
    shipped: JinjaRenderer, scenario: str, fmt: str
) -> None:
    rendered = shipped.render_notes(context=context_for(scenario), fmt=fmt)
    golden = GOLDEN / scenario / OUTPUT_NAMES[fmt]
    if os.environ.get("RELEASE_TRAIN_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("fmt", "forbidden"),
    [
        ("markdown", [r"(?<!\\)\[x\]", r"(?<!\\)<", r"(?m)^- #", r"(?<!\\)\*\*bold", "javascript"]),
        ("slack", ["<!channel>", "<@U123>", "<https://evil", "<!here>", "javascript"]),
        ("jira", [r"(?<!\\)[\[{!]~?(accountid|code|color|http)", r"(?m)^\* h1\.", r"(?<!\\)\| ce"]),
    ],
)  # fmt: skip
def test_hostile_titles_are_escaped_and_never_evaluated(  # each pattern: what escaping prevents
    shipped: JinjaRenderer, fmt: str, forbidden: list[str]
) -> None:
    rendered = shipped.render_notes(context=context_for("hostile"), fmt=fmt)
    assert [pattern for pattern in forbidden if re.search(pattern, rendered)] == []
    assert "49" not in rendered
    assert "raw" in rendered


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[x](http://evil) and ![img](a.png)", "\\[x\\](http://evil) and !\\[img\\](a.png)"),
        ("# heading", "\\# heading"),
        ("#418 stays", "#418 stays"),
        ("- item", "\\- item"),
        ("1. first", "1\\. first"),
        ("> quote", "\\> quote"),
        ("<b>html</b> | cell", "\\<b>html\\</b> \\| cell"),
        ("*em* _em_ `code` ~~del~~", "\\*em\\* \\_em\\_ \\`code\\` \\~\\~del\\~\\~"),
        ("snake_case_name stays", "snake_case_name stays"),
        ("{{ 7*7 }} a\\b", "\\{\\{ 7\\*7 \\}\\} a\\\\b"),
        ("two\nlines", "two lines"),
    ],
)
def test_markdown_filter_keeps_text_literal(text: str, expected: str) -> None:
    assert escape_markdown(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<!channel> <@U123>", "&lt;!channel&gt; &lt;@U123&gt;"),
        ("<https://evil|click>", "&lt;https://evil|click&gt;"),
        ("R&D *bold* _it_", "R&amp;D *bold* _it_"),
    ],
)
def test_mrkdwn_filter_escapes_only_ampersand_and_angle_brackets(text: str, expected: str) -> None:
    assert escape_mrkdwn(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[~accountid:x]", "\\[\\~accountid:x\\]"),
        ("!http://evil.test/a.png!", "\\!http://evil.test/a.png\\!"),
        ("{code}x{noformat}", "\\{code\\}x\\{noformat\\}"),
        ("[text|http://evil]", "\\[text\\|http://evil\\]"),
        ("*b* _i_ +u+ ^s^ ~t~", "\\*b\\* \\_i\\_ \\+u\\+ \\^s\\^ \\~t\\~"),
        ("-strike- PAY-77 a - b", "\\-strike\\- PAY-77 a \\- b"),
        ("??cite?? why?", "\\?\\?cite\\?\\? why?"),
        ("h1. Title", "h1\\. Title"),
        ("# item", "\\# item"),
        ("bq. quote", "bq\\. quote"),
        ("C:\\temp\\*", "C:&#92;temp&#92;\\*"),
    ],
)
def test_jira_filter_neutralises_wiki_markup(text: str, expected: str) -> None:
    assert escape_jira(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/acme/api/pull/1", "https://github.com/acme/api/pull/1"),
        ("HTTP://x.test/a b", "HTTP://x.test/a%20b"),
        ("https://x.test/a)b]c|d>e", "https://x.test/a%29b%5Dc%7Cd%3Ee"),
        ("javascript:alert(1)", ""),
        ("ftp://x.test/f", ""),
        ("https://", ""),
        (None, ""),
    ],
)
def test_href_keeps_only_http_links_safe_for_every_format(url: str | None, expected: str) -> None:
    assert safe_href(url) == expected


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_template_overrides_one_format_and_the_others_fall_back(
    tmp_path: Path, shipped: JinjaRenderer
) -> None:
    write(tmp_path, "notes.slack.j2", "{{ train|mrkdwn }}: {{ total }} changes\n")
    renderer = JinjaRenderer(templates_dir=tmp_path)
    context = context_for("typical")
    assert renderer.render_notes(context=context, fmt="slack") == "payments: 12 changes\n"
    for fmt in ("markdown", "jira"):
        assert renderer.render_notes(context=context, fmt=fmt) == shipped.render_notes(
            context=context, fmt=fmt
        )


def test_user_macros_replace_the_shipped_ones(tmp_path: Path) -> None:
    write(
        tmp_path,
        "_macros.j2",
        "{% macro summary(total, counts) %}{{ total }} in all{% endmacro %}\n",
    )
    write(
        tmp_path,
        "notes.markdown.j2",
        '{% import "_macros.j2" as m %}{{ m.summary(total, counts) }}\n',
    )
    renderer = JinjaRenderer(templates_dir=tmp_path)
    assert renderer.render_notes(context=SAMPLE_CONTEXT, fmt="markdown") == "4 in all\n"


# What a change line shows, one variation at a time, on the sample's first change.
LINE_VARIANTS: dict[str, dict[str, Any]] = {
    "plain": {"jira_keys": []},
    "jira keys": {"jira_keys": ["PAY-1", "PAY_2", "#3"]},
    "named flag": {"release_class": "flagged", "flag": "new-*checkout*"},
    "unnamed flag": {"release_class": "flagged", "flag": None},
    "needs a flag": {"release_class": "needs-flag"},
    "no link": {"url": None},
    "hostile": {"title": "<!channel> [x](http://evil) {{ 7*7 }}", "source": "*src* | x"},
}


@pytest.mark.parametrize("fmt", list(OUTPUT_NAMES))
@pytest.mark.parametrize("variant", list(LINE_VARIANTS))
def test_a_change_reads_the_same_in_a_section_as_under_reverts(
    shipped: JinjaRenderer, fmt: str, variant: str
) -> None:
    # Sections write the change line out for speed; the reverts list calls the macro.
    item = {**SAMPLE_CONTEXT["sections"][0]["changes"][0], **LINE_VARIANTS[variant]}
    context = {
        **SAMPLE_CONTEXT,
        "sections": [{"category": "feature", "heading": "Features", "changes": [item]}],
        "reverts": [item],
        "violations": [],
        "waived": [],
        "customer_communication": [],
    }
    rendered = shipped.render_notes(context=context, fmt=fmt)
    in_section, as_revert = [
        line for line in rendered.splitlines() if line.startswith(("- ", "• ", "* "))
    ]
    assert in_section == as_revert


def test_data_fields_read_as_items_and_dict_methods_stay_methods(tmp_path: Path) -> None:
    write(
        tmp_path,
        "notes.markdown.j2",
        "{{ sprint.name }}|{{ counts.get('flagged') }}|{{ sprint.keys()|list|length }}"
        "|{{ sprint.nope is undefined }}|{{ {'items': 1}.items is callable }}\n",
    )
    renderer = JinjaRenderer(templates_dir=tmp_path)
    assert renderer.render_notes(context=SAMPLE_CONTEXT, fmt="markdown") == (
        "Sprint 42|1|7|True|True\n"
    )


@pytest.mark.parametrize(
    ("template", "line", "detail"),
    [
        ("Total: {{ total }}\n{{ no_such_thing }}\n", 2, "'no_such_thing' is undefined"),
        ("{% for c in sections %}\n\n{{ c.nope }}\n{% endfor %}\n", 3, "has no attribute 'nope'"),
        ("ok\n{% if %}\n", 2, "Expected an expression"),
        ("{% for x in y %}\n", 1, "Unexpected end of template"),
        ("\n{{ ''.__class__.__mro__ }}\n", 2, "unsafe"),
        ("{{ train.__init__.__globals__ }}\n", 1, "unsafe"),
        ("{{ 1 / 0 }}\n", 1, "division by zero"),
        ("{{ train|esc('html') }}\n", 1, "must be one of markdown, slack, jira, not 'html'"),
    ],
)
def test_broken_template_names_its_file_and_line(
    tmp_path: Path, template: str, line: int, detail: str
) -> None:
    path = write(tmp_path, "notes.jira.j2", template)
    renderer = JinjaRenderer(templates_dir=tmp_path)
    with pytest.raises(TemplateError) as raised:
        renderer.render_notes(context=SAMPLE_CONTEXT, fmt="jira")
    message = str(raised.value)
    assert f"{path}, line {line} " in message
    assert detail in message
    assert "\n" not in message


def test_sandbox_escape_is_refused_as_a_template_error(tmp_path: Path) -> None:
    write(tmp_path, "notes.slack.j2", "{{ sections.__class__.__mro__[1].__subclasses__() }}\n")
    with pytest.raises(TemplateError, match="unsafe") as raised:
        JinjaRenderer(templates_dir=tmp_path).render_notes(context=SAMPLE_CONTEXT, fmt="slack")
    assert isinstance(raised.value.__cause__, SecurityError)


def test_error_in_an_imported_macro_names_the_macro_file(tmp_path: Path) -> None:
    macros = write(
        tmp_path, "_macros.j2", "{% macro summary(total, counts) %}\n{{ oops }}{% endmacro %}\n"
    )
    write(tmp_path, "notes.markdown.j2", '{% import "_macros.j2" as m %}\n{{ m.summary(1, {}) }}\n')
    renderer = JinjaRenderer(templates_dir=tmp_path)
    with pytest.raises(TemplateError, match=f"{macros}, line 2 .*'oops' is undefined"):
        renderer.render_notes(context=SAMPLE_CONTEXT, fmt="markdown")


def test_missing_import_is_a_template_error(tmp_path: Path) -> None:
    write(tmp_path, "notes.markdown.j2", '{% import "gone.j2" as g %}\n')
    with pytest.raises(TemplateError, match=r"notes\.markdown\.j2 .* gone\.j2 .* not found"):
        JinjaRenderer(templates_dir=tmp_path).render_notes(context=SAMPLE_CONTEXT, fmt="markdown")


def test_missing_templates_folder_is_a_template_error(tmp_path: Path) -> None:
    with pytest.raises(TemplateError, match=r"notes\.templates_dir"):
        JinjaRenderer(templates_dir=tmp_path / "absent")


def test_unknown_format_is_a_usage_error(shipped: JinjaRenderer) -> None:
    with pytest.raises(UsageError, match="markdown, slack, jira"):
        shipped.render_notes(context=SAMPLE_CONTEXT, fmt="html")


def test_check_templates_passes_for_the_shipped_templates(shipped: JinjaRenderer) -> None:
    assert shipped.check_templates() == []


def test_check_templates_reports_broken_and_unescaping_user_templates(tmp_path: Path) -> None:
    broken = write(tmp_path, "notes.markdown.j2", "{{ sprint.nme }}\n")
    write(tmp_path, "notes.slack.j2", "{% for s in sections %}{% for c in s.changes %}"
          "{{ c.title }}\n{% endfor %}{% endfor %}")  # fmt: skip
    problems = JinjaRenderer(templates_dir=tmp_path).check_templates()
    assert len(problems) == 2
    assert f"{broken}, line 1 " in problems[0]
    assert "notes.slack.j2 prints a change title without escaping it" in problems[1]


def shape(value: object) -> object:
    """Keys, recursively; a list of records by its first record."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [shape(value[0])]
    return "list" if isinstance(value, list) else "scalar"


def test_sample_context_has_the_shape_of_a_real_one() -> None:
    earlier = change(40, 'Revert "Old"', Category.REVERT, reverts="github:acme/payments-api#400")
    real = build_notes_context(
        train="payments",
        sprint=SPRINT,
        changes=[*typical(), earlier],
        ticket=TICKET,
        draft=DraftState(version=1, state="approved", approved_by="U1", approved_at=START),
        tz="UTC",
    )
    assert shape(SAMPLE_CONTEXT) == shape(real)


@pytest.fixture(scope="module")
def ten_thousand() -> dict[str, Any]:
    many = [
        change(n, f"feat: change {n} with *marks* [and] <brackets>", jira_keys=("PAY-1",))
        for n in range(10_000)
    ]
    return build_notes_context(
        train="payments", sprint=SPRINT, changes=many, ticket=TICKET, draft=DraftState(), tz="UTC"
    )


@pytest.mark.parametrize("fmt", list(OUTPUT_NAMES))
def test_ten_thousand_changes_render_each_once(
    shipped: JinjaRenderer, ten_thousand: dict[str, Any], fmt: str
) -> None:
    # How fast is measured by benchmarks/bench_big_train.py, not here.
    rendered = shipped.render_notes(context=ten_thousand, fmt=fmt)
    assert rendered.count("change 9999 with") == 1
