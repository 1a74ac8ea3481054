"""A workspace for the Slack surface: a train over a git repository, the fake Slack (and
optionally the fake Jira), the CLI run as a process, and the HTTP-mode app served on loopback."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.metrics import Metrics
from tests.cli import Result, run_cli
from tests.fakes.jira import FakeJira
from tests.fakes.slack import FakeSlack, Message
from tests.fakes.slack.driver import SlackDriver
from tests.gitrepo import GitRepo

CHANNEL = "C0RELEASE"
ALICE = "U0ALICE"  # an approver named in the train's settings
BOB = "U0BOB"  # in the approver group
MALLORY = "U0MALLORY"  # in the channel, not an approver
GROUP = "S0LEADS"
SIGNING_SECRET = "fake-signing-secret"
HOSTILE = "<!channel> <@U0MALLORY> <https://evil.test|click> [~accountid:x] {noformat} &"
SPRINT_START = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(
    days=3
)
SPRINT_END = SPRINT_START + timedelta(days=14)
T = TypeVar("T")


def merged(minutes: int) -> datetime:
    return SPRINT_START + timedelta(days=1, minutes=minutes)


def eventually(probe: Callable[[], T | None], *, what: str, timeout: float = 15) -> T:
    """The first truthy answer of `probe`, asked until `timeout` (work after an ack is async)."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)


@dataclass
class SlackSite:
    """One train ("payments") posting to CHANNEL of the fake Slack."""

    root: Path
    repo: GitRepo
    slack: FakeSlack
    jira: FakeJira | None = None
    board: int | None = None
    env: dict[str, str] = field(default_factory=dict)
    store_url: str | None = None  # default: a SQLite file in `root`

    @property
    def config(self) -> Path:
        return self.root / "release-train.toml"

    def write_config(self) -> None:
        self.config.write_text(
            f"""
[store]
url = "{self.store_url or f"sqlite:///{self.root / 'store.db'}"}"
{self._jira_section()}
[slack]
mode = "http"
api_url = "{self.slack.api_url}"

[[trains]]
name = "payments"
timezone = "Europe/Berlin"
slack_channel = "{CHANNEL}"
approvers = ["{ALICE}"]
approver_groups = ["{GROUP}"]
{self._sprint_section()}
  [[trains.sources]]
  name = "api"
  kind = "git"
  path = "{self.repo.path}"
  branch = "main"
  web_url = "https://git.example.com/api/commit/{{sha}}"
  since = "{SPRINT_START:%Y-%m-%d}"
""",
            encoding="utf-8",
        )

    def _jira_section(self) -> str:
        if self.jira is None:
            return ""
        email = f'email = "{self.jira.email}"' if self.jira.mode == "cloud" else ""
        return f"""
[jira]
url = "{self.jira.base_url}"
deployment = "{self.jira.mode}"
{email}
"""

    def _sprint_section(self) -> str:
        if self.jira is None:
            return f"""
  [trains.sprint]
  length_days = 14
  first_day = "{SPRINT_START:%Y-%m-%d}"
"""
        return f"""
  [trains.sprint]
  board_id = {self.board}

  [trains.ticket]
  jql = 'project = PAY AND labels = "release-train" AND sprint = {{sprint_id}}'
  create = true
  project = "PAY"
"""

    def secrets(self) -> dict[str, str]:
        env = {
            "RELEASE_TRAIN_SLACK__BOT_TOKEN": self.slack.bot_token,
            "RELEASE_TRAIN_SLACK__SIGNING_SECRET": SIGNING_SECRET,
        }
        if self.jira is not None:
            env["RELEASE_TRAIN_JIRA__TOKEN"] = self.jira.token
        return {**env, **self.env}

    def run(self, *args: str, without: tuple[str, ...] = ()) -> Result:
        """`python -m bot -c <config> ARGS...` with the secrets (but `without`) in the
        environment."""
        full = {k: v for k, v in self.secrets().items() if k not in without}
        return run_cli(self.config, *args, cwd=self.root, env=full, timeout=90)

    def ok(self, *args: str) -> Result:
        done = self.run(*args)
        assert done.code == 0, done.err
        return done

    def merge(self, title: str, *, minutes: int, files: Mapping[str, str] | None = None) -> str:
        sha = self.repo.commit(
            title, files=files or {f"f{minutes}.txt": title}, when=merged(minutes)
        )
        return f"git:api:{sha}"

    def drafts(self) -> list[Message]:
        """The draft messages in the channel (top level, the bot's), oldest first."""
        return [
            m
            for m in self.slack.messages(CHANNEL)
            if m.thread_ts in (None, m.ts)
            and (m.metadata or {}).get("event_type") == "release_train_draft"
        ]

    def ticket_key(self) -> str:
        assert self.jira is not None
        report = self.ok("status", "--json").json()
        assert report["ticket"] is not None, report
        return str(report["ticket"]["key"])


def build_site(
    root: Path, slack: FakeSlack, jira: FakeJira | None = None, *, store_url: str | None = None
) -> SlackSite:
    slack.add_user(ALICE, "alice", display_name="Alice Approver")
    slack.add_user(BOB, "bob", display_name="Bob Lead")
    slack.add_user(MALLORY, "mallory", display_name="Mallory")
    slack.add_channel(CHANNEL, "releases", members=[ALICE, BOB, MALLORY])
    slack.add_usergroup(GROUP, [BOB])
    board = None
    if jira is not None:
        board = jira.add_board("PAY")
        jira.add_sprint(board, "Sprint 7", "active", SPRINT_START, SPRINT_END)
    repo = GitRepo(root / "api", start=merged(0))
    repo.commit("Initial import", files={"README.md": "hello\n"})
    site = SlackSite(root=root, repo=repo, slack=slack, jira=jira, board=board, store_url=store_url)
    site.write_config()
    return site


def button_value(message: Message, action_id: str) -> str:
    for block in message.blocks:
        for element in block.get("elements") or []:
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return str(element["value"])
    raise AssertionError(f"no {action_id} button on the message: {message.blocks}")


def last_text(message: Message) -> str:
    return str(message.blocks[-1].get("text", {}).get("text", ""))


@dataclass
class RunningApp:
    """The HTTP-mode app on loopback, and a driver of signed requests to it."""

    url: str
    driver: SlackDriver
    metrics: Metrics


@contextmanager
def running_app(site: SlackSite, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningApp]:
    """The Slack app as `serve` runs it in HTTP mode: built from the settings, mounted at
    /slack/events of the web app, served by a real ASGI server on 127.0.0.1."""
    from bot.bootstrap import open_chat, open_serving
    from bot.settings import load_settings
    from bot.web import HttpServer, bind, build_app

    for name, value in site.secrets().items():
        monkeypatch.setenv(name, value)
    settings = load_settings(site.config)
    metrics = Metrics()
    with ExitStack() as stack:
        serving = stack.enter_context(open_serving(settings))
        events, _ = open_chat(settings, serving=serving, stack=stack, metrics=metrics)
        server = HttpServer(
            app=build_app(metrics=metrics, slack_events=events),
            sock=bind("127.0.0.1", 0),
        )
        server.start()
        stack.callback(server.stop, timeout=10)
        host, port = server.address
        url = f"http://{host}:{port}/slack/events"
        with SlackDriver(url=url, signing_secret=SIGNING_SECRET, fake=site.slack) as driver:
            yield RunningApp(url=url, driver=driver, metrics=metrics)


def drafted(site: SlackSite) -> Message:
    """Sync, then post the draft; the one draft message."""
    site.ok("sync")
    site.ok("draft")
    messages = site.drafts()
    assert len(messages) == 1, messages
    return messages[0]


def approve_value(message: Message) -> Any:
    return button_value(message, "approve_draft")
