"""A faithful fake Jira (Cloud and Data Center) over loopback HTTP; `server` says how to use it.

Modules: `server` (FakeJira and its fixtures), `http` (the threaded server, faults, checks),
`routes_*` (the endpoints), `state`, `views` (the JSON answered), `schema` (the checks against
the OpenAPI descriptions in `openapi/`), `adf` and `jql`.
"""

from tests.fakes.jira.server import (
    CommentSnapshot,
    FakeJira,
    IssueSnapshot,
    Request,
    fake_jira_cloud,
    fake_jira_datacenter,
)

__all__ = [
    "CommentSnapshot",
    "FakeJira",
    "IssueSnapshot",
    "Request",
    "fake_jira_cloud",
    "fake_jira_datacenter",
]
