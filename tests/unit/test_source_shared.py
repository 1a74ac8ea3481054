"""What the three sources share reads the same for each: times, renames, patches, backoffs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from bot.adapters.sources.shared import (
    EVIDENCE_CHARS,
    EVIDENCE_PER_FILE,
    PatchReading,
    aware,
    doubling,
    dump_cursor,
    file_change,
    format_time,
    parse_time,
    read_cursor,
    retry_after,
    split_message,
    touches,
)
from bot.domain.config import DEFAULT_FLAG_PATTERNS

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC).timestamp()


def test_a_timestamp_with_any_zone_reads_as_the_same_utc_instant() -> None:
    expected = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert parse_time("2026-11-20T08:00:00Z") == expected
    assert parse_time("2026-11-20T10:00:00.000+02:00") == expected
    assert parse_time("2026-11-20T10:00:00.000+02:00").tzinfo is UTC


@pytest.mark.parametrize("value", [None, 17, "", "yesterday", "2026-11-20T08:00:00"])
def test_a_timestamp_without_a_zone_or_not_a_timestamp_is_unreadable(value: object) -> None:
    with pytest.raises(ValueError, match=r"timestamp|zone|Invalid isoformat"):
        parse_time(value)


def test_a_query_time_is_utc_to_the_whole_second() -> None:
    moment = datetime(2026, 11, 20, 10, 0, 59, 999_999, tzinfo=timezone(timedelta(hours=2)))
    assert format_time(moment) == "2026-11-20T08:00:59Z"


def test_a_naive_since_is_read_as_utc_and_an_aware_one_is_kept() -> None:
    naive = datetime(2026, 11, 20, 10, 0)
    assert aware(naive) == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    berlin = datetime(2026, 11, 20, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    assert aware(berlin) is berlin


def test_a_message_splits_into_title_and_body_whatever_its_line_ends() -> None:
    assert split_message("  Add refunds\r\n\r\nWhy: customers asked.\r\nMore.\r\n") == (
        "Add refunds",
        "Why: customers asked.\nMore.",
    )
    assert split_message("") == ("", "")


def test_a_file_renamed_out_of_a_matching_path_still_touches_it() -> None:
    assert touches("src/new/api.py", "db/migrations/0001.sql", ["db/migrations/**"])
    assert touches("db/migrations/0002.sql", None, ["db/migrations/**"])
    assert not touches("src/api.py", None, ["db/migrations/**"])
    assert not touches("src/api.py", "src/old.py", [])


def test_only_a_migration_file_keeps_its_patch() -> None:
    reading = PatchReading(("db/migrations/**",))
    kept = file_change(
        path="db/migrations/0002.sql",
        old_path=None,
        added=3,
        deleted=0,
        patch="@@ -0,0 +1 @@\n+ALTER TABLE refunds ADD note text;\n",
        reading=reading,
        status="added",
    )
    dropped = file_change(
        path="src/api.py",
        old_path=None,
        added=5,
        deleted=1,
        patch="@@ ...",
        reading=reading,
        status="modified",
    )
    assert kept.patch is not None and "ALTER TABLE" in kept.patch
    assert (kept.path, kept.added, kept.deleted) == ("db/migrations/0002.sql", 3, 0)
    assert dropped.patch is None
    assert (dropped.path, dropped.added, dropped.deleted) == ("src/api.py", 5, 1)
    assert (kept.status, dropped.status) == ("added", "modified")


def test_a_file_keeps_the_added_lines_that_evaluate_a_flag_and_no_other() -> None:
    reading = PatchReading(("db/migrations/**",), DEFAULT_FLAG_PATTERNS)
    patch = "\n".join(
        [
            "@@ -1,3 +1,5 @@",
            ' import { useFlag } from "@unleash/proxy-client-react";',
            '-  const old = useFlag("old-checkout");',
            '+  const enabled = useFlag("new-checkout");',
            "+  return enabled ? <Checkout /> : null;",
            '+  // useFlag("commented") still reads as evaluating it',
        ]
    )
    file = file_change(
        path="web/src/Checkout.tsx",
        old_path=None,
        added=3,
        deleted=1,
        patch=patch,
        reading=reading,
        status="modified",
    )
    assert file.patch is None
    assert file.evidence == (
        'const enabled = useFlag("new-checkout");',
        '// useFlag("commented") still reads as evaluating it',
    )


def test_evidence_is_cut_to_a_few_short_lines_per_file() -> None:
    reading = PatchReading((), DEFAULT_FLAG_PATTERNS)
    line = '+if isEnabled("x"): ' + "y" * 1000
    file = file_change(
        path="app.py",
        old_path=None,
        added=20,
        deleted=0,
        patch="\n".join([line] * 20),
        reading=reading,
        status="added",
    )
    assert len(file.evidence) == EVIDENCE_PER_FILE
    assert all(len(kept) == EVIDENCE_CHARS for kept in file.evidence)


def test_a_cursor_reads_back_only_under_the_version_that_wrote_it() -> None:
    text = dump_cursor(2, {"branch": "main", "seen": [3, 1]})
    assert text == '{"v":2,"branch":"main","seen":[3,1]}'
    assert read_cursor(text, version=2, kind="github") == {"v": 2, "branch": "main", "seen": [3, 1]}
    with pytest.raises(ValueError, match="not a gitlab cursor of this version"):
        read_cursor(text, version=1, kind="gitlab")
    with pytest.raises(ValueError, match="not JSON"):
        read_cursor("deadbeef" * 5, version=1, kind="github")


def test_retry_after_reads_seconds_or_an_http_date_and_never_goes_negative() -> None:
    assert retry_after("30", now=NOW) == 30.0
    assert retry_after("-5", now=NOW) == 0.0
    assert retry_after("Fri, 20 Nov 2026 10:01:30 GMT", now=NOW) == 90.0
    assert retry_after("Fri, 20 Nov 2026 09:59:00 GMT", now=NOW) == 0.0
    assert retry_after(None, now=NOW) is None
    assert retry_after("soon", now=NOW) is None


def test_a_backoff_doubles_from_its_first_wait_up_to_its_largest() -> None:
    assert [doubling(5.0, attempt, largest=60.0) for attempt in range(1, 6)] == [
        5.0,
        10.0,
        20.0,
        40.0,
        60.0,
    ]
    assert doubling(1.0, 4) == 8.0
