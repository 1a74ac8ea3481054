"""Revert targets named by a change, and revert pairs within a batch and against the store."""

from __future__ import annotations

import pytest

from bot.domain.model import Change
from bot.domain.reverts import is_revert, pair_reverts, revert_targets
from tests.unit.builders import make_change

SHA_A = "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"
SHA_B = "b1b2c3d4e5f60718293a4b5c6d7e8f9012345678"
SHA_C = "c0ffee0000000000000000000000000000000001"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            make_change(messages=(f'Revert "Add refunds"\n\nThis reverts commit {SHA_A}.\n',)),
            (SHA_A,),
        ),
        (make_change(body=f"This reverts commit {SHA_A.upper()[:12]}."), (SHA_A[:12],)),
        (
            make_change(
                messages=(
                    f"Revert merge\n\nThis reverts commit {SHA_A}, reversing\n"
                    f"changes made to {SHA_B}.\n",
                )
            ),
            (SHA_A,),
        ),
        (make_change(body="This reverts commit abc12."), ()),
        (
            make_change(id="github:acme/web#9", body="Reverts acme/payments-api#418"),
            ("github:acme/payments-api#418",),
        ),
        (make_change(messages=("Revert x (#419)\n\nReverts acme/api#418",)), ("#418",)),
        (make_change(id="github:acme/web#9", body="Reverts #7"), ("github:acme/web#7",)),
        (make_change(body="Reverts #7"), ("#7",)),
        (
            make_change(id="gitlab:acme/web!45", body="This reverts merge request !44"),
            ("gitlab:acme/web!44",),
        ),
        (make_change(body="This reverts merge request !44"), ("!44",)),
        (
            make_change(
                body=f"This reverts commit {SHA_A}.", messages=(f"This reverts commit {SHA_A}.",)
            ),
            (SHA_A,),
        ),
        (make_change(body="Nothing to see"), ()),
    ],
)
def test_revert_targets_are_read(change: Change, expected: tuple[str, ...]) -> None:
    assert revert_targets(change) == expected


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (make_change(title='Revert "Add refunds"'), True),
        (make_change(body=f"This reverts commit {SHA_A}."), True),
        (make_change(title="Revert the revert of nothing in particular"), False),
        (make_change(title="fix: revert-proof input"), False),
    ],
)
def test_reverts_are_recognised(change: Change, expected: bool) -> None:
    assert is_revert(change) is expected


def test_revert_pairs_with_a_change_in_the_same_batch_by_full_sha() -> None:
    original = make_change(id="git:api:" + SHA_A, commits=(SHA_A,))
    revert = make_change(
        id="git:api:" + SHA_B, commits=(SHA_B,), body=f"This reverts commit {SHA_A}."
    )
    assert pair_reverts([original, revert], known={}) == {revert.id: original.id}


def test_revert_pairs_with_a_recorded_change_by_abbreviated_sha() -> None:
    revert = make_change(
        id="git:api:" + SHA_B, commits=(SHA_B,), body=f"This reverts commit {SHA_A[:7]}."
    )
    assert pair_reverts([revert], known={SHA_A: "github:acme/api#3"}) == {
        revert.id: "github:acme/api#3"
    }


def test_revert_pairs_with_a_commit_inside_a_merged_branch() -> None:
    original = make_change(id="github:acme/api#3", commits=(SHA_C, SHA_A))
    revert = make_change(id="github:acme/api#4", body=f"This reverts commit {SHA_A}.")
    assert pair_reverts([original, revert], known={}) == {revert.id: original.id}


def test_ambiguous_abbreviation_pairs_with_nothing() -> None:
    twin = SHA_A[:7] + "f" * 33
    revert = make_change(id="github:acme/api#9", body=f"This reverts commit {SHA_A[:7]}.")
    known = {SHA_A: "github:acme/api#3", twin: "github:acme/api#5"}
    assert pair_reverts([revert], known=known) == {}


def test_abbreviation_shared_by_commits_of_one_change_still_pairs() -> None:
    twin = SHA_A[:7] + "f" * 33
    revert = make_change(id="github:acme/api#9", body=f"This reverts commit {SHA_A[:7]}.")
    known = {SHA_A: "github:acme/api#3", twin: "github:acme/api#3"}
    assert pair_reverts([revert], known=known) == {revert.id: "github:acme/api#3"}


def test_unknown_sha_pairs_with_nothing() -> None:
    revert = make_change(body=f"This reverts commit {SHA_C}.")
    assert pair_reverts([revert], known={SHA_A: "github:acme/api#3"}) == {}


def test_a_change_never_pairs_with_itself() -> None:
    odd = make_change(id="git:api:" + SHA_A, commits=(SHA_A,), body=f"This reverts commit {SHA_A}.")
    assert pair_reverts([odd], known={}) == {}


def test_squashed_github_revert_in_a_git_source_pairs_by_number() -> None:
    original = make_change(id="git:api:" + SHA_A, number=418, commits=(SHA_A,))
    revert = make_change(
        id="git:api:" + SHA_B, number=419, messages=("Revert x (#419)\n\nReverts acme/api#418",)
    )
    assert pair_reverts([original, revert], known={}) == {revert.id: original.id}


def test_github_revert_pairs_by_change_id_recorded_or_not() -> None:
    revert = make_change(id="github:acme/api#420", body="Reverts acme/api#418")
    assert pair_reverts([revert], known={}) == {revert.id: "github:acme/api#418"}


def test_gitlab_revert_pairs_within_its_project() -> None:
    revert = make_change(id="gitlab:acme/web!45", body="This reverts merge request !44")
    assert pair_reverts([revert], known={}) == {revert.id: "gitlab:acme/web!44"}


def test_number_fragment_pairs_with_the_same_source_in_the_batch() -> None:
    original = make_change(id="git:web:" + SHA_A, source="web", number=44, commits=(SHA_A,))
    elsewhere = make_change(id="git:api:" + SHA_C, source="api", number=44, commits=(SHA_C,))
    revert = make_change(id="git:web:" + SHA_B, source="web", body="This reverts merge request !44")
    assert pair_reverts([elsewhere, original, revert], known={}) == {revert.id: original.id}


def test_revert_title_pairs_with_an_earlier_change_of_the_same_title() -> None:
    original = make_change(id="git:api:" + SHA_A, title="Add refunds", commits=(SHA_A,))
    revert = make_change(id="git:api:" + SHA_B, title='Revert "Add refunds"', commits=(SHA_B,))
    assert pair_reverts([original, revert], known={}) == {revert.id: original.id}


def test_first_resolvable_target_wins() -> None:
    original = make_change(id="git:api:" + SHA_A, commits=(SHA_A,))
    revert = make_change(
        id="git:api:" + SHA_B,
        messages=(f"This reverts commit {SHA_C}.", f"This reverts commit {SHA_A}."),
    )
    assert pair_reverts([original, revert], known={}) == {revert.id: original.id}
