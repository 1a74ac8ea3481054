"""A fake GitHub REST API over loopback HTTP; `server` says how to use it.

Modules: `server` (FakeGitHub and `running`), `routes` (the endpoints), `state`, `views` (the
JSON answered) and `schema` (the checks against the OpenAPI schemas in `openapi/`).
"""

from tests.fakes.github.routes import LoggedRequest
from tests.fakes.github.server import TOKEN, FakeGitHub, running
from tests.fakes.github.state import FakeFile, FakePull, FakeRepo

__all__ = ["TOKEN", "FakeFile", "FakeGitHub", "FakePull", "FakeRepo", "LoggedRequest", "running"]
