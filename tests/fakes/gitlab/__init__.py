"""A fake GitLab REST API (v4) over loopback HTTP; `server` says how to use it.

Modules: `server` (FakeGitLab and the `gitlab_fake` fixture), `routes` (the endpoints, paged
as GitLab pages) and `state` (projects, commits and merge requests as GitLab shows them).
"""

from tests.fakes.gitlab.server import TOKEN, FakeGitLab, FakeRequest, gitlab_fake

__all__ = ["TOKEN", "FakeGitLab", "FakeRequest", "gitlab_fake"]
