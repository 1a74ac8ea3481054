"""Loading the configuration: the file, the environment, and every way they can be wrong."""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import fields, replace
from datetime import date
from pathlib import Path

import pytest
from pydantic import BaseModel
from sqlalchemy import make_url

from bot.domain.policy import PolicyConfig
from bot.errors import ConfigError, UsageError
from bot.settings import SECRET_KEYS as SECRETS
from bot.settings import (
    GitHubSettings,
    GitHubSourceSettings,
    GitLabSettings,
    GitLabSourceSettings,
    GitSourceSettings,
    JiraSettings,
    NotesSettings,
    PolicySettings,
    ServerSettings,
    Settings,
    SlackSettings,
    SprintSettings,
    StoreSettings,
    TicketSettings,
    TrainSettings,
    load_settings,
    require_secret,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "config.example.toml"
SECRET = "xoxb-distinctive-S3CRET-value-4711"

# The secrets every configured service needs (Slack's in either mode).
TOKENS = {
    f"RELEASE_TRAIN_{section.upper()}__{key.upper()}": f"{section}-{key}-value"
    for section, keys in SECRETS.items()
    for key in keys
}
CADENCE = 'length_days = 14\nfirst_day = "2026-01-05"'
GIT_SOURCE = 'kind = "git"\npath = "repos/ledger"'


def compose(
    *,
    top: str = "",
    train: str = "",
    sprint: str = CADENCE,
    ticket: str | None = None,
    sources: tuple[str, ...] = (GIT_SOURCE,),
    name: str = "payments",
) -> str:
    """A configuration with one train, varied piece by piece."""
    parts = [top, "[[trains]]", f'name = "{name}"', train, "[trains.sprint]", sprint]
    if ticket is not None:
        parts += ["[trains.ticket]", ticket]
    for source in sources:
        parts += ["[[trains.sources]]", source]
    return "\n".join(parts) + "\n"


def load(tmp_path: Path, text: str, environ: Mapping[str, str] | None = None) -> Settings:
    path = tmp_path / "release-train.toml"
    path.write_text(text)
    return load_settings(path, environ=environ or {})


def load_error(tmp_path: Path, text: str, environ: Mapping[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text, environ)
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- the example file ---


def test_example_config_loads_with_an_empty_environment() -> None:
    settings = load_settings(EXAMPLE, environ={})

    train = settings.train(None)
    assert train.name == "release-train"
    assert train.sprint == SprintSettings(length_days=14, first_day=date(2026, 1, 5))
    assert train.ticket is None
    assert [(s.kind, s.path, s.branch) for s in train.sources] == [("git", REPO_ROOT, "main")]
    assert settings.store.url == f"sqlite:///{REPO_ROOT / 'release-train.db'}"
    assert (settings.jira, settings.slack, settings.github, settings.gitlab) == (None,) * 4


def test_example_config_spells_out_the_defaults() -> None:
    settings = load_settings(EXAMPLE, environ={})

    assert settings.store == StoreSettings(url=f"sqlite:///{REPO_ROOT / 'release-train.db'}")
    assert StoreSettings.model_fields["url"].default == "sqlite:///release-train.db"
    assert settings.server == ServerSettings()
    assert settings.policy == PolicySettings()
    assert settings.notes == NotesSettings()


SECTIONS: list[type[BaseModel]] = [
    StoreSettings,
    JiraSettings,
    SlackSettings,
    GitHubSettings,
    GitLabSettings,
    ServerSettings,
    PolicySettings,
    NotesSettings,
    TrainSettings,
    SprintSettings,
    TicketSettings,
    GitSourceSettings,
    GitHubSourceSettings,
    GitLabSourceSettings,
]


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.__name__)
def test_example_config_documents_every_key(section: type[BaseModel]) -> None:
    text = EXAMPLE.read_text()
    for key in section.model_fields:
        secret = any(key in keys for keys in SECRETS.values())
        pattern = (
            rf"RELEASE_TRAIN_\w+__{key.upper()}"
            if secret
            else rf"(?m)^\s*#?\s*({key} = |\[\[?trains\.{key}\]\]?$)"
        )
        assert re.search(pattern, text), f"{section.__name__}.{key} is not documented"


# --- the environment ---


@pytest.mark.parametrize(
    ("variable", "value", "read"),
    [
        ("RELEASE_TRAIN_STORE__URL", "sqlite:////var/lib/rt.db", lambda s: s.store.url),
        ("RELEASE_TRAIN_SERVER__PORT", "9090", lambda s: s.server.port),
        ("release_train_store__auto_upgrade", "false", lambda s: s.store.auto_upgrade),
        ("RELEASE_TRAIN_POLICY__UI_LABELS", '["ui", "frontend"]', lambda s: s.policy.ui_labels),
    ],
)
def test_environment_wins_over_the_file(
    tmp_path: Path, variable: str, value: str, read: Callable[[Settings], object]
) -> None:
    text = compose(top='[store]\nurl = "sqlite:///file.db"\n[server]\nport = 1234')
    expected = {"9090": 9090, "false": False, '["ui", "frontend"]': ["ui", "frontend"]}

    settings = load(tmp_path, text, {variable: value})

    assert read(settings) == expected.get(value, value)


def test_config_path_comes_from_the_environment_when_not_given(tmp_path: Path) -> None:
    path = tmp_path / "elsewhere.toml"
    path.write_text(compose(name="from-env"))

    settings = load_settings(None, environ={"RELEASE_TRAIN_CONFIG": str(path)})

    assert settings.train(None).name == "from-env"


def test_a_secret_alone_does_not_switch_a_service_on(tmp_path: Path) -> None:
    settings = load(tmp_path, compose(), {"RELEASE_TRAIN_JIRA__TOKEN": SECRET})

    assert settings.jira is None


def test_secrets_come_from_the_environment(tmp_path: Path) -> None:
    text = compose(top='[github]\n[slack]\nmode = "http"', train='slack_channel = "C0123"')
    environ = {
        "RELEASE_TRAIN_GITHUB__TOKEN": "ghp-token",
        "RELEASE_TRAIN_SLACK__SIGNING_SECRET": "signing",
        "RELEASE_TRAIN_SLACK__BOT_TOKEN": "bot",
    }

    settings = load(tmp_path, text, environ)

    assert settings.github is not None and settings.slack is not None
    assert require_secret(settings.github.token, env="E", service="GitHub") == "ghp-token"
    assert sorted(settings.secrets()) == ["bot", "ghp-token", "signing"]


def test_secrets_include_a_password_in_the_store_url(tmp_path: Path) -> None:
    text = compose(top='[store]\nurl = "postgresql+psycopg://bot:pa%40ss@db/rt"')

    settings = load(tmp_path, text)

    assert settings.secrets() == ["pa%40ss", "pa@ss"]
    assert "pa%40ss" not in repr(settings)


def test_secrets_include_every_credential_in_the_store_urls_query(tmp_path: Path) -> None:
    url = "postgresql+psycopg://bot@db/rt?sslmode=require&password=hun%26ter2&sslpassword=k3y"
    text = compose(top=f'[store]\nurl = "{url}"')

    settings = load(tmp_path, text)

    assert settings.secrets() == ["hun%26ter2", "k3y", "hun&ter2"]
    assert "hun" not in repr(settings) and "k3y" not in repr(settings)
    assert "sslmode=require" in repr(settings)


AMBIGUOUS_URLS = [
    ("@ in the password", "postgresql+psycopg://bot:pa@ss@db/rt", "unencoded '@'"),
    ("/ in the password", "postgresql+psycopg://bot:pa/ss@db/rt", "unencoded '@', '/'"),
    ("? in the password", "postgresql+psycopg://bot:pa?ss@db/rt", "unencoded '@', '/' or '?'"),
    ("?x= in the password", "postgresql+psycopg://bot:pa?x=ss@db/rt", "unencoded '@', '/' or '?'"),
    ("sqlite with a host", "sqlite://state.db", "three slashes before a relative file"),
    ("# in the password", "postgresql+psycopg://bot:pa#ss@db/rt", "'#' has no meaning"),
    ("port not a number", "postgresql+psycopg://bot@db:5432x/rt", "the port is not a number"),
    ("port out of range", "postgresql+psycopg://bot@db:70000/rt", "the port is not a number"),
    ("key given twice", "postgresql+psycopg://db/rt?password=pass&password=word", "'password'"),
    ("item without value", "postgresql+psycopg://db/rt?password", "not key=value"),
]


@pytest.mark.parametrize(
    ("url", "fragment"), [c[1:] for c in AMBIGUOUS_URLS], ids=[c[0] for c in AMBIGUOUS_URLS]
)
def test_a_store_url_read_more_than_one_way_is_refused_without_its_value(
    tmp_path: Path, url: str, fragment: str
) -> None:
    message = load_error(tmp_path, compose(top=f'[store]\nurl = "{url}"'))

    assert ": store.url: " in message
    assert fragment in message
    assert not {"ss@db", "pass", "word", "5432x", "state"} & set(re.findall(r"[\w@]+", message))


def test_a_relative_sqlite_store_is_beside_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "conf dir").mkdir()
    (tmp_path / "elsewhere").mkdir()
    config = tmp_path / "conf dir" / "rt.toml"
    config.write_text(compose(top='[store]\nurl = "sqlite:///state/rt.db?timeout=5"'))
    monkeypatch.chdir(tmp_path / "elsewhere")

    settings = load_settings(Path("../conf dir/rt.toml"), environ={})

    url = make_url(settings.store.url)
    assert url.database == str(tmp_path / "conf dir" / "state" / "rt.db")
    assert url.query == {"timeout": "5"}


def test_the_default_store_is_beside_the_config_file(tmp_path: Path) -> None:
    settings = load(tmp_path, compose())

    assert make_url(settings.store.url).database == str(tmp_path / "release-train.db")


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////srv/rt.db",
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///file:rt.db?mode=ro&uri=true",
        "postgresql+psycopg://bot:pa%40ss@[::1]:5433/rt?sslmode=require",
    ],
)
def test_other_store_urls_are_kept_as_written(tmp_path: Path, url: str) -> None:
    assert load(tmp_path, compose(top=f'[store]\nurl = "{url}"')).store.url == url


def test_require_secret_names_the_variable_when_unset() -> None:
    with pytest.raises(ConfigError, match="set RELEASE_TRAIN_JIRA__TOKEN"):
        require_secret(None, env="RELEASE_TRAIN_JIRA__TOKEN", service="Jira")


# --- problems, each named by its dotted key ---

UNKNOWN_KEYS = [
    ("top level", compose(top="colour = 1"), {}, "colour"),
    ("in a section", compose(top='[store]\nurll = "x"'), {}, "store.urll"),
    ("in the sprint", compose(sprint="lenght_days = 14"), {}, "trains[0].sprint.lenght_days"),
    (
        "in a source",
        compose(sources=(GIT_SOURCE + "\nbranc = 'x'",)),
        {},
        "trains[0].sources[0].branc",
    ),
    (
        "from the environment",
        compose(),
        {"RELEASE_TRAIN_STORE__URLX": "x"},
        "store.urlx (RELEASE_TRAIN_STORE__URLX)",
    ),
    (
        "in a JSON table from the environment",
        compose(top="[github]"),
        {"RELEASE_TRAIN_GITHUB": '{"x": 1}'},
        "github.x (RELEASE_TRAIN_GITHUB)",
    ),
]


@pytest.mark.parametrize(
    ("text", "environ", "key"), [c[1:] for c in UNKNOWN_KEYS], ids=[c[0] for c in UNKNOWN_KEYS]
)
def test_unknown_key_is_rejected_by_name(
    tmp_path: Path, text: str, environ: dict[str, str], key: str
) -> None:
    assert f": {key}: unknown key" in load_error(tmp_path, text, environ)


JIRA = '[jira]\nurl = "https://acme.atlassian.net"\nemail = "bot@acme.com"'
INVALID = [
    (
        "cron fields",
        compose(train='sync_schedule = "*/15 * * *"'),
        "trains[0].sync_schedule",
        "invalid cron expression '*/15 * * *'",
    ),
    (
        "cron value",
        compose(train='digest_schedule = "0 25 * * MON"'),
        "trains[0].digest_schedule",
        "invalid cron expression",
    ),
    (
        "cron weekday number",
        compose(train='digest_schedule = "0 9 * * 1-5"'),
        "trains[0].digest_schedule",
        "names (MON-FRI)",
    ),
    (
        "draft cron value",
        compose(train='draft_schedule = "0 10 * * 4"'),
        "trains[0].draft_schedule",
        "names (MON-FRI)",
    ),
    (
        "timezone",
        compose(train='timezone = "Mars/Olympus"'),
        "trains[0].timezone",
        "unknown time zone 'Mars/Olympus'",
    ),
    (
        "regex",
        compose(top='[policy]\njira_key_pattern = "[A-Z"'),
        "policy.jira_key_pattern",
        "invalid regular expression",
    ),
    (
        "regex matching nothing",
        compose(top='[policy]\njira_key_pattern = "x*"'),
        "policy.jira_key_pattern",
        "matches the empty string",
    ),
    (
        "regex length",
        compose(top=f'[policy]\njira_key_pattern = "{"a" * 201}"'),
        "policy.jira_key_pattern",
        "longer than 200",
    ),
    (
        "flag pattern without a group",
        compose(top="[policy]\nflag_patterns = ['flags\\.on\\(']"),
        "policy.flag_patterns[0]",
        "has no group: its first group names the flag",
    ),
    (
        "invalid flag pattern",
        compose(top="[policy]\nflag_patterns = ['on\\((\\w+']"),
        "policy.flag_patterns[0]",
        "invalid flag pattern",
    ),
    (
        "empty glob",
        compose(top='[policy]\nui_paths = ["web/**", " "]'),
        "policy.ui_paths[1]",
        "must not be empty",
    ),
    (
        "jql placeholder",
        compose(top=JIRA, ticket='jql = "sprint = {sprint}"'),
        "trains[0].ticket.jql",
        "unknown placeholder {sprint}",
    ),
    (
        "jql brace",
        compose(top=JIRA, ticket='jql = "sprint = {sprint_id"'),
        "trains[0].ticket.jql",
        "malformed placeholder",
    ),
    (
        "summary conversion",
        compose(top=JIRA, ticket='jql = "x"\nsummary = "{sprint_name!r}"'),
        "trains[0].ticket.summary",
        "{sprint_name!r}",
    ),
    (
        "web_url placeholder",
        compose(sources=(GIT_SOURCE + '\nweb_url = "https://git/{commit}"',)),
        "trains[0].sources[0].web_url",
        "unknown placeholder {commit}",
    ),
    (
        "web_url without sha",
        compose(sources=(GIT_SOURCE + '\nweb_url = "https://git/x"',)),
        "trains[0].sources[0].web_url",
        "no {sha} placeholder",
    ),
    (
        "url scheme",
        compose(top='[jira]\nurl = "ftp://acme"\nemail = "a@b"'),
        "jira.url",
        "not an http(s) URL",
    ),
    (
        "store url",
        compose(top='[store]\nurl = "mysql://db/x"'),
        "store.url",
        "expected a sqlite:///",
    ),
    (
        "approver id",
        compose(train='approvers = ["@alice"]'),
        "trains[0].approvers[0]",
        "not a Slack id",
    ),
    (
        "branch option",
        compose(sources=(GIT_SOURCE + '\nbranch = "--upload-pack=x"',)),
        "trains[0].sources[0].branch",
        "not a branch name",
    ),
    (
        "repo shape",
        compose(top="[github]", sources=('kind = "github"\nrepo = "payments"',)),
        "trains[0].sources[0].repo",
        "not owner/name",
    ),
    ("port", compose(top="[server]\nport = 70000"), "server.port", "less than or equal to 65535"),
    (
        "deployment",
        compose(top='[jira]\nurl = "https://j"\ndeployment = "cloudy"'),
        "jira.deployment",
        "'cloud' or 'datacenter'",
    ),
    (
        "cloud email",
        compose(top='[jira]\nurl = "https://j"'),
        "jira.email",
        "required for deployment = 'cloud'",
    ),
    (
        "create needs project",
        compose(top=JIRA, ticket='jql = "x"\ncreate = true'),
        "trains[0].ticket.project",
        "required when create = true",
    ),
    (
        "ticket needs jira",
        compose(ticket='jql = "x"'),
        "trains[0].ticket",
        "needs the [jira] section",
    ),
    (
        "slack needs channel",
        compose(top="[slack]"),
        "trains[0].slack_channel",
        "required when the [slack] section",
    ),
    ("no trains", "[store]\n", "trains", "required key is missing"),
    ("no sources", compose(sources=()), "trains[0].sources", "required key is missing"),
]


@pytest.mark.parametrize(
    ("text", "key", "fragment"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID]
)
def test_invalid_value_is_named_by_dotted_key(
    tmp_path: Path, text: str, key: str, fragment: str
) -> None:
    message = load_error(tmp_path, text)

    assert message.startswith(f"{tmp_path / 'release-train.toml'}: {key}: ")
    assert fragment in message


SPRINTS = [
    ("both", "board_id = 3\n" + CADENCE, JIRA, "trains[0].sprint.board_id", "not both"),
    (
        "neither",
        "",
        "",
        "trains[0].sprint",
        "set board_id (a Jira board) or length_days and first_day",
    ),
    (
        "length only",
        "length_days = 14",
        "",
        "trains[0].sprint.first_day",
        "required together with length_days",
    ),
    (
        "first day only",
        'first_day = "2026-01-05"',
        "",
        "trains[0].sprint.length_days",
        "required together",
    ),
    (
        "board without jira",
        "board_id = 3",
        "",
        "trains[0].sprint.board_id",
        "needs the [jira] section",
    ),
]


@pytest.mark.parametrize(
    ("sprint", "top", "key", "fragment"), [c[1:] for c in SPRINTS], ids=[c[0] for c in SPRINTS]
)
def test_sprint_comes_from_exactly_one_of_board_or_cadence(
    tmp_path: Path, sprint: str, top: str, key: str, fragment: str
) -> None:
    message = load_error(tmp_path, compose(top=top, sprint=sprint))

    assert f": {key}: " in message
    assert fragment in message


def test_sprint_from_a_jira_board_loads(tmp_path: Path) -> None:
    settings = load(tmp_path, compose(top=JIRA, sprint="board_id = 42"), TOKENS)

    assert settings.train(None).sprint.board_id == 42


SOURCES = [
    ("git without path", "", 'kind = "git"', "path", "required for kind = 'git'"),
    ("github without repo", "[github]", 'kind = "github"', "repo", "required for kind = 'github'"),
    (
        "gitlab without project",
        "[gitlab]",
        'kind = "gitlab"',
        "project",
        "required for kind = 'gitlab'",
    ),
    (
        "github without section",
        "",
        'kind = "github"\nrepo = "a/b"',
        "kind",
        "github sources need [github]",
    ),
    (
        "gitlab without section",
        "",
        'kind = "gitlab"\nproject = "a/b"',
        "kind",
        "gitlab sources need [gitlab]",
    ),
    ("repo on git", "", GIT_SOURCE + '\nrepo = "a/b"', "repo", "only github sources use repo"),
    (
        "web_url on github",
        "[github]",
        'kind = "github"\nrepo = "a/b"\nweb_url = "https://x/{sha}"',
        "web_url",
        "only git sources",
    ),
    (
        "unknown kind",
        "",
        'kind = "svn"\npath = "x"',
        "kind",
        "input should be 'git', 'github' or 'gitlab'",
    ),
]


@pytest.mark.parametrize(
    ("top", "source", "key", "fragment"), [c[1:] for c in SOURCES], ids=[c[0] for c in SOURCES]
)
def test_each_source_kind_has_its_own_requirements(
    tmp_path: Path, top: str, source: str, key: str, fragment: str
) -> None:
    message = load_error(tmp_path, compose(top=top, sources=(source,)))

    assert f": trains[0].sources[0].{key}: {fragment}" in message


def test_each_source_kind_loads_as_its_own_settings_with_only_its_own_keys(
    tmp_path: Path,
) -> None:
    sources = (
        GIT_SOURCE + '\nweb_url = "https://git/{sha}"',
        'kind = "github"\nrepo = "acme/payments-api"',
        'kind = "gitlab"\nproject = "acme/web/site"',
    )

    train = load(tmp_path, compose(top="[github]\n[gitlab]", sources=sources), TOKENS).train(None)

    git, github, gitlab = train.sources
    assert isinstance(git, GitSourceSettings) and git.web_url == "https://git/{sha}"
    assert isinstance(github, GitHubSourceSettings) and github.repo == "acme/payments-api"
    assert isinstance(gitlab, GitLabSourceSettings) and gitlab.project == "acme/web/site"
    assert not {"repo", "project"} & set(GitSourceSettings.model_fields)
    assert not {"path", "web_url", "project"} & set(GitHubSourceSettings.model_fields)
    assert not {"path", "web_url", "repo"} & set(GitLabSourceSettings.model_fields)
    assert [s.location for s in train.sources] == [
        str(tmp_path / "repos" / "ledger"),
        "acme/payments-api",
        "acme/web/site",
    ]


SECOND_SOURCE = [
    ("repo shape", 'kind = "github"\nrepo = "payments"', "repo: 'payments' is not owner/name"),
    ("repo on gitlab", 'kind = "gitlab"\nrepo = "a/b"', "repo: only github sources use repo"),
    ("project missing", 'kind = "gitlab"', "project: required for kind = 'gitlab'"),
    ("kind missing", 'repo = "a/b"', "kind: required key is missing"),
    ("unknown key", 'kind = "github"\nrepo = "a/b"\nbranc = "x"', "branc: unknown key"),
    ("bad since", 'kind = "github"\nrepo = "a/b"\nsince = "soon"', "since: input should be"),
]


@pytest.mark.parametrize(
    ("source", "problem"), [c[1:] for c in SECOND_SOURCE], ids=[c[0] for c in SECOND_SOURCE]
)
def test_a_source_problem_is_named_by_its_dotted_key_without_the_kind(
    tmp_path: Path, source: str, problem: str
) -> None:
    text = compose(top="[github]\n[gitlab]", sources=(GIT_SOURCE, source))

    message = load_error(tmp_path, text)

    assert f": trains[0].sources[1].{problem}" in message


def test_policy_defaults_are_the_domains() -> None:
    settings = PolicySettings()

    assert settings.config() == PolicyConfig()
    assert list(PolicySettings.model_fields) == [f.name for f in fields(PolicyConfig)]


def test_policy_settings_become_the_domains_configuration(tmp_path: Path) -> None:
    text = compose(top='[policy]\nui_labels = ["frontend"]\nlarge_ui_lines = 40')

    config = load(tmp_path, text).policy.config()

    assert config == replace(PolicyConfig(), ui_labels=("frontend",), large_ui_lines=40)


def test_source_name_defaults_to_the_last_component_of_its_location(tmp_path: Path) -> None:
    sources = (
        GIT_SOURCE,
        'kind = "github"\nrepo = "acme/payments-api"',
        'kind = "gitlab"\nproject = "acme/web/site"',
    )

    settings = load(tmp_path, compose(top="[github]\n[gitlab]", sources=sources), TOKENS)

    train = settings.train(None)
    assert [s.name for s in train.sources] == ["ledger", "payments-api", "site"]
    assert train.sources[0].path == tmp_path / "repos" / "ledger"


def test_relative_paths_are_relative_to_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "rt.toml").write_text(compose(top='[notes]\ntemplates_dir = "tpl"'))
    monkeypatch.chdir(tmp_path)

    settings = load_settings(Path("conf/rt.toml"), environ={})

    assert settings.notes.templates_dir == tmp_path / "conf" / "tpl"
    assert settings.train(None).sources[0].path == tmp_path / "conf" / "repos" / "ledger"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (compose() + compose(), "trains[1].name"),
        (
            compose(sources=(GIT_SOURCE, 'kind = "git"\npath = "/srv/ledger"')),
            "trains[0].sources[1].name",
        ),
    ],
    ids=["trains", "sources"],
)
def test_duplicate_names_are_rejected(tmp_path: Path, text: str, key: str) -> None:
    assert f": {key}: duplicate" in load_error(tmp_path, text)


def test_several_problems_name_the_first_and_count_the_rest(tmp_path: Path) -> None:
    text = compose(train='timezone = "Nowhere"\nsync_schedule = "x"\ndigest_schedule = "y"')

    message = load_error(tmp_path, text)

    assert message.endswith(
        "trains[0].timezone: unknown time zone 'Nowhere' (use an IANA name such as"
        " 'Europe/Berlin') (and 2 more: trains[0].sync_schedule, trains[0].digest_schedule)"
    )


# --- secrets ---

SECRET_CASES = [
    ("jira", "token", JIRA),
    ("slack", "bot_token", "[slack]"),
    ("slack", "signing_secret", "[slack]"),
    ("slack", "app_token", "[slack]"),
    ("github", "token", "[github]"),
    ("gitlab", "token", "[gitlab]"),
]


@pytest.mark.parametrize(("section", "key", "table"), SECRET_CASES)
def test_secret_in_the_file_is_rejected_naming_the_variable(
    tmp_path: Path, section: str, key: str, table: str
) -> None:
    text = compose(top=f'{table}\n{key} = "{SECRET}"', train='slack_channel = "C1"')

    message = load_error(tmp_path, text)

    assert f"{section}.{key}: secrets are not read from the file" in message
    assert f"set RELEASE_TRAIN_{section.upper()}__{key.upper()} in the environment" in message
    assert SECRET not in message


MISSING_SECRETS = [
    ("jira", JIRA, {}, "jira.token (RELEASE_TRAIN_JIRA__TOKEN): not set, and [jira] is configured"),
    ("github", "[github]", {}, "github.token (RELEASE_TRAIN_GITHUB__TOKEN): not set"),
    ("gitlab", "[gitlab]", {}, "gitlab.token (RELEASE_TRAIN_GITLAB__TOKEN): not set"),
    (
        "slack without any",
        "[slack]",
        {},
        "slack.bot_token (RELEASE_TRAIN_SLACK__BOT_TOKEN): not set, and [slack] is configured;"
        " set it in the environment (and 1 more: slack.app_token (RELEASE_TRAIN_SLACK__APP_TOKEN))",
    ),
    (
        "slack socket mode",
        '[slack]\nmode = "socket"',
        {"RELEASE_TRAIN_SLACK__BOT_TOKEN": "b", "RELEASE_TRAIN_SLACK__SIGNING_SECRET": "s"},
        "slack.app_token (RELEASE_TRAIN_SLACK__APP_TOKEN): not set, and [slack] is configured"
        " in socket mode",
    ),
    (
        "slack http mode",
        '[slack]\nmode = "http"',
        {"RELEASE_TRAIN_SLACK__BOT_TOKEN": "b", "RELEASE_TRAIN_SLACK__APP_TOKEN": "a"},
        "slack.signing_secret (RELEASE_TRAIN_SLACK__SIGNING_SECRET): not set, and [slack] is"
        " configured in http mode",
    ),
]


@pytest.mark.parametrize(
    ("table", "environ", "fragment"),
    [c[1:] for c in MISSING_SECRETS],
    ids=[c[0] for c in MISSING_SECRETS],
)
def test_a_configured_service_without_its_secret_is_refused_naming_the_variable(
    tmp_path: Path, table: str, environ: dict[str, str], fragment: str
) -> None:
    text = compose(top=table, train='slack_channel = "C1"')

    message = load_error(tmp_path, text, environ)

    assert message.startswith(f"{tmp_path / 'release-train.toml'}: ")
    assert fragment in message


@pytest.mark.parametrize(
    ("mode", "variables"),
    [("socket", ("BOT_TOKEN", "APP_TOKEN")), ("http", ("BOT_TOKEN", "SIGNING_SECRET"))],
)
def test_slack_needs_only_the_secrets_of_its_mode(
    tmp_path: Path, mode: str, variables: tuple[str, ...]
) -> None:
    text = compose(top=f'[slack]\nmode = "{mode}"', train='slack_channel = "C1"')
    environ = {f"RELEASE_TRAIN_SLACK__{name}": name.lower() for name in variables}

    settings = load(tmp_path, text, environ)

    assert settings.slack is not None and settings.slack.mode == mode
    assert settings.missing_secrets() == []


@pytest.mark.parametrize(("section", "key", "table"), SECRET_CASES)
@pytest.mark.parametrize("value", ["", "  "])
def test_empty_secret_in_the_environment_is_rejected(
    tmp_path: Path, section: str, key: str, table: str, value: str
) -> None:
    variable = f"RELEASE_TRAIN_{section.upper()}__{key.upper()}"
    text = compose(top=table, train='slack_channel = "C1"')

    message = load_error(tmp_path, text, {variable: value})

    assert f": {section}.{key} ({variable}): is set but empty" in message


@pytest.mark.parametrize(
    ("environ", "table"),
    [
        ({"RELEASE_TRAIN_GITHUB__TOKEN": SECRET, "RELEASE_TRAIN_SERVER__PORT": "x"}, "[github]"),
        ({"RELEASE_TRAIN_GITHUB__TOKEN": f" {SECRET}\n"}, "[github]"),
        ({"RELEASE_TRAIN_GITHUB__TOKEN": SECRET}, '[github]\napi_url = "nope"'),
        (
            {"RELEASE_TRAIN_JIRA__TOKEN": SECRET},
            '[jira]\nurl = "https://j"\ndeployment = "datacenter"\nbad = 1',
        ),
        ({"RELEASE_TRAIN_GITHUB": f'{{"token": "{SECRET}", "x": 1}}'}, "[github]"),
        ({"RELEASE_TRAIN_GITHUB": f'{{"token": "{SECRET}"'}, "[github]"),
    ],
    ids=["other error", "whitespace", "same section", "jira", "unknown key in JSON", "broken JSON"],
)
def test_secret_never_appears_in_an_error(
    tmp_path: Path, environ: dict[str, str], table: str
) -> None:
    path = tmp_path / "release-train.toml"
    path.write_text(compose(top=table))

    with pytest.raises(ConfigError) as caught:
        load_settings(path, environ=environ)

    assert SECRET not in str(caught.value)
    assert SECRET not in "".join(traceback.format_exception(caught.value))


def test_secret_never_appears_in_the_settings_repr(tmp_path: Path) -> None:
    text = compose(top=f"{JIRA}\n[slack]\n[github]\n[gitlab]", train='slack_channel = "C1"')
    variables = [f"RELEASE_TRAIN_{s.upper()}__{k.upper()}" for s, k, _ in SECRET_CASES]

    settings = load(tmp_path, text, {v: f"{SECRET}-{i}" for i, v in enumerate(variables)})

    assert SECRET not in repr(settings) and SECRET not in str(settings)
    assert sorted(settings.secrets()) == [f"{SECRET}-{i}" for i in range(len(variables))]


# --- choosing a train, finding the file ---


def test_draft_schedule_is_optional_and_read_in_the_trains_time_zone(tmp_path: Path) -> None:
    without = load(tmp_path, compose()).train(None)
    text = compose(train='timezone = "Europe/Berlin"\ndraft_schedule = "0 10 * * THU"')

    train = load(tmp_path, text).train(None)

    assert without.draft_schedule is None
    assert train.draft_schedule == "0 10 * * THU"


def test_the_only_train_is_chosen_without_a_name(tmp_path: Path) -> None:
    settings = load(tmp_path, compose(name="solo"))

    assert settings.train(None).name == "solo"
    assert settings.train("solo").name == "solo"


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        (None, "several trains are configured (alpha, beta); choose one with --train"),
        ("gamma", "choose --train from: alpha, beta"),
    ],
)
def test_train_selection_names_the_choices(tmp_path: Path, name: str | None, fragment: str) -> None:
    settings = load(tmp_path, compose(name="alpha") + compose(name="beta"))

    assert settings.train("beta").name == "beta"
    with pytest.raises(UsageError) as caught:
        settings.train(name)
    assert fragment in str(caught.value)


def test_missing_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"

    with pytest.raises(ConfigError, match=re.escape(f"configuration file {path} not found")):
        load_settings(path, environ={})


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    text = '[store]\nurl = "sqlite:///x.db"\nauto_upgrade = \n'

    message = load_error(tmp_path, text)

    assert message.startswith(f"{tmp_path / 'release-train.toml'}: not valid TOML: ")
    assert "line 3" in message


def test_concurrent_loads_keep_their_own_file_and_environment(tmp_path: Path) -> None:
    paths = []
    for index in range(4):
        (tmp_path / str(index)).mkdir()
        path = tmp_path / str(index) / "rt.toml"
        path.write_text(compose(name=f"train-{index}"))
        paths.append(path)

    def load_one(index: int) -> tuple[str, str, Path | None]:
        settings = load_settings(
            paths[index % 4], environ={"RELEASE_TRAIN_STORE__URL": f"sqlite:///{index}.db"}
        )
        train = settings.train(None)
        return train.name, settings.store.url, train.sources[0].path

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(load_one, range(32)))

    assert results == [
        (
            f"train-{i % 4}",
            f"sqlite:///{tmp_path / str(i % 4) / f'{i}.db'}",
            tmp_path / str(i % 4) / "repos" / "ledger",
        )
        for i in range(32)
    ]
