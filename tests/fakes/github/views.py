"""The fake GitHub's JSON: objects shaped as GitHub's REST API documents them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tests.fakes.github.state import FakeCommit, FakeFile, FakePull, FakeRepo

# The repository object's URL fields, relative to its API URL (RFC 6570 templates as GitHub
# writes them).
_TEMPLATED_URLS = {
    "archive_url": "/{archive_format}{/ref}",
    "assignees_url": "/assignees{/user}",
    "blobs_url": "/git/blobs{/sha}",
    "branches_url": "/branches{/branch}",
    "collaborators_url": "/collaborators{/collaborator}",
    "comments_url": "/comments{/number}",
    "commits_url": "/commits{/sha}",
    "compare_url": "/compare/{base}...{head}",
    "contents_url": "/contents/{+path}",
    "git_commits_url": "/git/commits{/sha}",
    "git_refs_url": "/git/refs{/sha}",
    "git_tags_url": "/git/tags{/sha}",
    "issue_comment_url": "/issues/comments{/number}",
    "issue_events_url": "/issues/events{/number}",
    "issues_url": "/issues{/number}",
    "keys_url": "/keys{/key_id}",
    "labels_url": "/labels{/name}",
    "milestones_url": "/milestones{/number}",
    "notifications_url": "/notifications{?since,all,participating}",
    "pulls_url": "/pulls{/number}",
    "releases_url": "/releases{/id}",
    "statuses_url": "/statuses/{sha}",
    "trees_url": "/git/trees{/sha}",
}
_PLAIN_URLS = (  # `<name>_url` fields that are plain `<api>/<name>`
    "contributors",
    "deployments",
    "downloads",
    "events",
    "forks",
    "hooks",
    "languages",
    "merges",
    "stargazers",
    "subscribers",
    "subscription",
    "tags",
    "teams",
)


def stamp(at: datetime | None) -> str | None:
    """A timestamp as GitHub writes it."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if at is not None else None


def _id(*parts: object) -> int:
    return int(hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:8], 16)


@dataclass(frozen=True)
class Views:
    """Builds the JSON bodies; `api` is the API's base URL, `web` the site's."""

    api: str
    web: str

    def user(self, login: str) -> dict[str, Any]:
        api = f"{self.api}/users/{login}"
        return {
            "login": login,
            "id": _id("user", login),
            "node_id": f"U_{login}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{_id('user', login)}?v=4",
            "gravatar_id": "",
            "url": api,
            "html_url": f"{self.web}/{login}",
            "followers_url": f"{api}/followers",
            "following_url": f"{api}/following{{/other_user}}",
            "gists_url": f"{api}/gists{{/gist_id}}",
            "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api}/subscriptions",
            "organizations_url": f"{api}/orgs",
            "repos_url": f"{api}/repos",
            "events_url": f"{api}/events{{/privacy}}",
            "received_events_url": f"{api}/received_events",
            "type": "User",
            "user_view_type": "public",
            "site_admin": False,
        }

    def repository(self, repo: FakeRepo, *, full: bool = False) -> dict[str, Any]:
        """A `repository` object, or with `full` the `full-repository` of `GET /repos/{o}/{r}`."""
        api = f"{self.api}/repos/{repo.full_name}"
        counts = ("forks", "forks_count", "stargazers_count", "watchers_count", "watchers")
        body: dict[str, Any] = {
            "id": repo.id,
            "node_id": f"R_{repo.id}",
            "name": repo.name,
            "full_name": repo.full_name,
            "owner": self.user(repo.owner),
            "private": True,
            "html_url": f"{self.web}/{repo.full_name}",
            "description": None,
            "fork": False,
            "url": api,
            **{key: f"{api}{suffix}" for key, suffix in _TEMPLATED_URLS.items()},
            **{f"{name}_url": f"{api}/{name}" for name in _PLAIN_URLS},
            "git_url": f"git://{self.web.split('://', 1)[1]}/{repo.full_name}.git",
            "ssh_url": f"git@{self.web.split('://', 1)[1]}:{repo.full_name}.git",
            "clone_url": f"{self.web}/{repo.full_name}.git",
            "svn_url": f"{self.web}/{repo.full_name}",
            "mirror_url": None,
            "homepage": None,
            "language": "Python",
            **dict.fromkeys(counts, 0),
            "size": 120,
            "default_branch": repo.default_branch,
            "open_issues_count": 0,
            "open_issues": 0,
            "has_issues": True,
            "has_projects": False,
            "has_wiki": False,
            "has_pages": False,
            "has_downloads": True,
            "has_discussions": False,
            "archived": False,
            "disabled": False,
            "license": None,
            "pushed_at": stamp(repo.commits[repo.head()].at),
            "created_at": stamp(repo.created_at),
            "updated_at": stamp(repo.created_at),
        }
        if full:
            body.update(network_count=0, subscribers_count=1)
        return body

    def branch(self, repo: FakeRepo, name: str) -> dict[str, Any]:
        api = f"{self.api}/repos/{repo.full_name}/branches/{name}"
        return {
            "name": name,
            "commit": self.commit(repo, repo.commits[repo.branches[name]], detail=True),
            "_links": {"self": api, "html": f"{self.web}/{repo.full_name}/tree/{name}"},
            "protected": False,
            "protection": {
                "enabled": False,
                "required_status_checks": {
                    "enforcement_level": "off",
                    "contexts": [],
                    "checks": [],
                },
            },
            "protection_url": f"{api}/protection",
        }

    def commit(self, repo: FakeRepo, commit: FakeCommit, *, detail: bool) -> dict[str, Any]:
        """A commit as listed, or with `stats` and `files` as `GET /commits/{ref}` gives it."""
        api = f"{self.api}/repos/{repo.full_name}"
        email = f"{commit.author or 'someone'}@users.noreply.example.com"
        person = {"name": commit.author or "Someone Else", "email": email, "date": stamp(commit.at)}
        user = self.user(commit.author) if commit.author else None
        body: dict[str, Any] = {
            "sha": commit.sha,
            "node_id": f"C_{commit.sha[:16]}",
            "commit": {
                "author": person,
                "committer": person,
                "message": commit.message,
                "tree": {"sha": commit.sha[::-1], "url": f"{api}/git/trees/{commit.sha[::-1]}"},
                "url": f"{api}/git/commits/{commit.sha}",
                "comment_count": 0,
                "verification": {
                    "verified": False,
                    "reason": "unsigned",
                    "signature": None,
                    "payload": None,
                    "verified_at": None,
                },
            },
            "url": f"{api}/commits/{commit.sha}",
            "html_url": f"{self.web}/{repo.full_name}/commit/{commit.sha}",
            "comments_url": f"{api}/commits/{commit.sha}/comments",
            "author": user,
            "committer": user,
            "parents": [
                {
                    "sha": sha,
                    "url": f"{api}/commits/{sha}",
                    "html_url": f"{self.web}/{repo.full_name}/commit/{sha}",
                }
                for sha in commit.parents
            ],
        }
        if detail:
            added = sum(f.added for f in commit.files)
            deleted = sum(f.deleted for f in commit.files)
            body["stats"] = {"total": added + deleted, "additions": added, "deletions": deleted}
            body["files"] = [self.file(repo, f, commit.sha) for f in commit.files]
        return body

    def file(self, repo: FakeRepo, entry: FakeFile, ref: str) -> dict[str, Any]:
        blob = hashlib.sha1(f"{ref}:{entry.path}".encode(), usedforsecurity=False).hexdigest()
        body: dict[str, Any] = {
            "sha": None if entry.status == "removed" else blob,
            "filename": entry.path,
            "status": entry.status,
            "additions": entry.added,
            "deletions": entry.deleted,
            "changes": entry.added + entry.deleted,
            "blob_url": f"{self.web}/{repo.full_name}/blob/{ref}/{entry.path}",
            "raw_url": f"{self.web}/{repo.full_name}/raw/{ref}/{entry.path}",
            "contents_url": f"{self.api}/repos/{repo.full_name}/contents/{entry.path}?ref={ref}",
        }
        if entry.patch is not None:
            body["patch"] = entry.patch
        if entry.previous is not None:
            body["previous_filename"] = entry.previous
        return body

    def pull(self, repo: FakeRepo, pull: FakePull) -> dict[str, Any]:
        """A pull-request-simple object."""
        api = f"{self.api}/repos/{repo.full_name}"
        html = f"{self.web}/{repo.full_name}/pull/{pull.number}"
        links = {
            "self": f"{api}/pulls/{pull.number}",
            "html": html,
            "issue": f"{api}/issues/{pull.number}",
            "comments": f"{api}/issues/{pull.number}/comments",
            "review_comments": f"{api}/pulls/{pull.number}/comments",
            "review_comment": f"{api}/pulls/comments{{/number}}",
            "commits": f"{api}/pulls/{pull.number}/commits",
            "statuses": f"{api}/statuses/{pull.head_sha}",
        }
        base_sha = repo.commits[pull.branch_commits[0]].parents[0] if pull.branch_commits else ""
        return {
            "url": links["self"],
            "id": _id("pull", repo.full_name, pull.number),
            "node_id": f"PR_{repo.id}_{pull.number}",
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "issue_url": links["issue"],
            "commits_url": links["commits"],
            "review_comments_url": links["review_comments"],
            "review_comment_url": links["review_comment"],
            "comments_url": links["comments"],
            "statuses_url": links["statuses"],
            "number": pull.number,
            "state": pull.state,
            "locked": False,
            "title": pull.title,
            "user": self.user(pull.author),
            "body": pull.body,
            "labels": [self.label(repo, name) for name in pull.labels],
            "milestone": None,
            "active_lock_reason": None,
            "created_at": stamp(pull.created_at),
            "updated_at": stamp(pull.updated_at),
            "closed_at": stamp(pull.closed_at),
            "merged_at": stamp(pull.merged_at),
            "merge_commit_sha": pull.merge_commit_sha,
            "assignee": None,
            "assignees": [],
            "requested_reviewers": [],
            "requested_teams": [],
            "head": self._ref(repo, pull.head_ref, pull.head_sha, pull.author),
            "base": self._ref(repo, pull.base, base_sha, repo.owner),
            "_links": {name: {"href": href} for name, href in links.items()},
            "author_association": "MEMBER",
            "auto_merge": None,
            "draft": False,
        }

    def label(self, repo: FakeRepo, name: str) -> dict[str, Any]:
        return {
            "id": _id("label", repo.full_name, name),
            "node_id": f"LA_{_id('label', repo.full_name, name)}",
            "url": f"{self.api}/repos/{repo.full_name}/labels/{name}",
            "name": name,
            "description": "",
            "color": "ededed",
            "default": False,
        }

    def _ref(self, repo: FakeRepo, ref: str, sha: str, login: str) -> dict[str, Any]:
        return {
            "label": f"{repo.owner}:{ref}",
            "ref": ref,
            "sha": sha,
            "user": self.user(login),
            "repo": self.repository(repo),
        }


def error(message: str, status: int) -> dict[str, Any]:
    """GitHub's error body."""
    return {
        "message": message,
        "documentation_url": "https://docs.github.com/rest",
        "status": str(status),
    }
