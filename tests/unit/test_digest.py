"""The sprint digest: what it says (days left, counts, violations, owed contracts, unattached
changes, the draft and its approvers) in both templates, with hostile titles kept inert."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.adapters.renderer import JinjaRenderer
from bot.domain.model import (
    Category,
    Change,
    Classification,
    DraftState,
    ExpandRecord,
    MigrationOp,
    MigrationStage,
    RecordedChange,
    ReleaseClass,
    Sprint,
    Waiver,
)
from bot.ports.tracker import Ticket
from bot.services.approvals.decide import TrainApprovers
from bot.services.digest import TrainFacts, build_digest_context, owed_contracts

START = datetime(2026, 11, 15, 23, 0, tzinfo=UTC)
SPRINT = Sprint(name="Sprint 42", start=START, end=START + timedelta(days=14), id="42")
EARLIER = Sprint(name="Sprint 41", start=START - timedelta(days=14), end=START, id="41")
HOSTILE = "<!channel> [x](http://evil.test) <https://evil.test|click>"
FACTS = TrainFacts(
    name="payments",
    tz=ZoneInfo("Europe/Berlin"),
    approvers=TrainApprovers(users=("U1",), groups=("S9",)),
    tracked=True,
)


def recorded(
    number: int,
    *,
    sprint: str = "Sprint 42",
    release_class: ReleaseClass = ReleaseClass.CONTINUOUS,
    violation: str | None = None,
    ops: tuple[MigrationOp, ...] = (),
    attached: bool = True,
    title: str | None = None,
    days: int = 1,
) -> RecordedChange:
    change = Change(
        id=f"github:acme/api#{number}",
        source="api",
        title=title or f"Change {number}",
        merged_at=(START if sprint == "Sprint 42" else EARLIER.start) + timedelta(days=days),
        url=f"https://github.com/acme/api/pull/{number}",
        number=number,
    )
    verdict = Classification(
        release_class=release_class,
        category=Category.OTHER,
        reasons=("changes customer data without a flag",) if violation else ("additive",),
        violation=violation,
        migration_ops=ops,
    )
    return RecordedChange(
        change=change, classification=verdict, train="payments", sprint=sprint, attached=attached
    )


class History:
    """A store's reads for the digest: sprints, their changes and the expand history."""

    def __init__(self, changes: list[RecordedChange]) -> None:
        self.changes = changes

    def expand_history(self, *, train: str) -> list[ExpandRecord]:
        return [
            ExpandRecord(rc.change.id, op.table, op.column, rc.change.merged_at, rc.sprint)
            for rc in self.changes
            for op in rc.classification.migration_ops
            if op.stage is MigrationStage.EXPAND
        ]

    def list_sprints(self, *, train: str) -> list[Sprint]:
        return [EARLIER, SPRINT]

    def changes_for_sprint(
        self, *, train: str, sprint: str, details: bool = True
    ) -> list[RecordedChange]:
        return [rc for rc in self.changes if rc.sprint == sprint]


def expand(table: str) -> MigrationOp:
    return MigrationOp(stage=MigrationStage.EXPAND, table=table, column="c", action="add column")


def contract(table: str) -> MigrationOp:
    return MigrationOp(stage=MigrationStage.CONTRACT, table=table, column="c", action="drop column")


def test_only_expands_no_later_contract_followed_are_owed_since_their_sprint() -> None:
    history = History(
        [
            recorded(
                1,
                sprint="Sprint 41",
                release_class=ReleaseClass.MIGRATION_EXPAND,
                ops=(expand("refunds"),),
            ),
            recorded(
                2,
                sprint="Sprint 41",
                release_class=ReleaseClass.MIGRATION_EXPAND,
                ops=(expand("orders"),),
                days=2,
            ),
            recorded(3, release_class=ReleaseClass.MIGRATION_CONTRACT, ops=(contract("orders"),)),
        ]
    )
    owed = owed_contracts(history, train="payments")
    assert [(o["table"], o["since_sprint"], o["title"]) for o in owed] == [
        ("refunds", "Sprint 41", "Change 1")
    ]


def context(changes: list[RecordedChange], *, now: datetime, draft: DraftState) -> dict:  # type: ignore[type-arg]
    history = History(changes)
    return build_digest_context(
        facts=FACTS,
        sprint=SPRINT,
        changes=[rc for rc in changes if rc.sprint == "Sprint 42"],
        owed=owed_contracts(history, train="payments"),
        ticket=Ticket(key="PAY-7", url="https://jira.example.com/browse/PAY-7"),
        draft=draft,
        now=now,
    )


CHANGES = [
    recorded(
        1, sprint="Sprint 41", release_class=ReleaseClass.MIGRATION_EXPAND, ops=(expand("refunds"),)
    ),
    recorded(5),
    recorded(
        6,
        release_class=ReleaseClass.NEEDS_FLAG,
        title=HOSTILE,
        violation="Changes customer data sets without a feature flag.",
        attached=False,
    ),
]


def test_days_left_count_the_day_in_progress_and_stop_at_zero() -> None:
    draft = DraftState()
    assert (
        context(CHANGES, now=SPRINT.end - timedelta(hours=30), draft=draft)["sprint"]["days_left"]
        == 2
    )
    assert (
        context(CHANGES, now=SPRINT.end + timedelta(days=1), draft=draft)["sprint"]["days_left"]
        == 0
    )


def test_slack_digest_says_where_the_train_stands() -> None:
    data = context(
        CHANGES,
        now=SPRINT.end - timedelta(days=3, hours=1),
        draft=DraftState(version=2, state="pending"),
    )
    text = JinjaRenderer(templates_dir=None).render_template(name="digest.slack.j2", context=data)
    assert "*Sprint digest — payments, Sprint 42*" in text
    assert "4 days left (last day 2026-11-29)." in text
    assert "<https://jira.example.com/browse/PAY-7|PAY-7>" in text
    assert "2 changes: 1 continuous, 1 needs-flag." in text
    assert "*needs-flag*: Changes customer data sets without a feature flag." in text
    assert "◦ changes customer data without a flag" in text
    assert "table `refunds`: expanded by <https://github.com/acme/api/pull/1|Change 1>" in text
    assert "contract owed since Sprint 41" in text
    assert "*Not yet on the ticket*" in text
    assert "Version 2 awaits approval." in text
    assert "May approve: <@U1>, <!subteam^S9>" in text
    assert "<!channel>" not in text.replace("<!subteam^S9>", "")
    assert "&lt;!channel&gt;" in text
    assert "<https://evil.test" not in text


def test_markdown_digest_for_dry_run_names_approval_and_escapes_titles() -> None:
    approved_at = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    data = context(
        CHANGES,
        now=SPRINT.start + timedelta(days=1),
        draft=DraftState(version=3, state="approved", approved_by="U1", approved_at=approved_at),
    )
    text = JinjaRenderer(templates_dir=None).render_template(
        name="digest.markdown.j2", context=data
    )
    assert text.startswith("# Sprint digest — payments, Sprint 42\n")
    assert "## Policy violations" in text and "## Contract stages still owed" in text
    assert "Version 3 approved by U1 on 2026-11-27 10:00." in text
    assert "May approve" not in text
    assert "[x](http://evil.test)" not in text


def test_nothing_to_report_reads_as_none() -> None:
    data = context([replace(recorded(5))], now=SPRINT.start, draft=DraftState())
    text = JinjaRenderer(templates_dir=None).render_template(name="digest.slack.j2", context=data)
    assert "*Policy violations*\nNone." in text
    assert "*Contract stages still owed*\nNone." in text
    assert "Every change is on the ticket." in text
    assert "No draft posted yet." in text


def test_check_names_a_digest_template_that_prints_titles_unescaped(tmp_path: Path) -> None:
    (tmp_path / "digest.slack.j2").write_text("{{ violations[0].title }}\n", encoding="utf-8")
    (tmp_path / "digest.markdown.j2").write_text("{{ nope.nothing }}\n", encoding="utf-8")

    problems = JinjaRenderer(templates_dir=tmp_path).check_templates()

    assert problems == [
        f"The template {tmp_path / 'digest.markdown.j2'}, line 1 does not render: "
        "'nope' is undefined.",
        "The template digest.slack.j2 prints a change title without escaping it.",
    ]


def test_the_digest_says_how_many_changes_the_notes_leave_out_and_why() -> None:
    change = recorded(5)
    revert = replace(recorded(6, title='Revert "Change 5"'), reverts=change.change.id)
    change = replace(change, reverted_by=revert.change.id)
    data = context([change, revert, recorded(7)], now=SPRINT.start, draft=DraftState())
    text = JinjaRenderer(templates_dir=None).render_template(name="digest.slack.j2", context=data)
    assert (
        "3 changes: 3 continuous. The notes leave out 2: reverted within the sprint, "
        "with their reverts."
    ) in text


def test_waived_violations_are_listed_apart_and_not_counted() -> None:
    waived = replace(
        recorded(8, release_class=ReleaseClass.NEEDS_FLAG, violation="Needs a flag."),
    )
    waived = replace(
        waived,
        classification=replace(
            waived.classification, waiver=Waiver(reason="agreed with support", by="trailer")
        ),
    )
    data = context([waived], now=SPRINT.start, draft=DraftState())
    text = JinjaRenderer(templates_dir=None).render_template(name="digest.slack.j2", context=data)
    assert "*Policy violations*\nNone." in text
    assert "*Waived violations*" in text
    assert "(waived by trailer: agreed with support)" in text
