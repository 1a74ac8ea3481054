"""The demo configuration over this repository: its own release-notes templates are not UI."""

from __future__ import annotations

from pathlib import Path

from bot.domain.model import FileChange
from bot.domain.policy import read_signals
from bot.settings import load_settings
from tests.unit.builders import make_change

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_the_demo_config_does_not_count_this_repositorys_notes_templates_as_ui() -> None:
    config = load_settings(REPO_ROOT / "config.example.toml", environ={}).policy.config()
    templates = sorted((REPO_ROOT / "templates").glob("*.j2"))
    assert templates, "the shipped notes templates live in templates/"

    for template in templates:
        path = template.relative_to(REPO_ROOT).as_posix()
        edit = FileChange(path=path, added=300, deleted=0)
        signals = read_signals(make_change(files=(edit,)), config=config)
        assert not signals.touches_ui, path


def test_the_demo_config_still_counts_server_side_html_templates_as_ui() -> None:
    config = load_settings(REPO_ROOT / "config.example.toml", environ={}).policy.config()
    edit = FileChange(path="shop/templates/checkout.html", added=5, deleted=0)

    assert read_signals(make_change(files=(edit,)), config=config).touches_ui
