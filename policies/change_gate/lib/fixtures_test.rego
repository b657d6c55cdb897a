# Shared inputs for the policy tests: a compliant pull request and helpers that change one part.
package change_gate.tests.fixtures

base_sha := "a000000000000000000000000000000000000000"

first_sha := "c100000000000000000000000000000000000000"

head_sha := "c200000000000000000000000000000000000000"

commit(sha, parents, message, login) := {
	"sha": sha,
	"parents": parents,
	"is_merge": count(parents) > 1,
	"message": message,
	"author": {"login": login, "email": sprintf("%s@example.com", [login])},
	"committer": {"login": login, "email": sprintf("%s@example.com", [login])},
	"co_authors": [],
	"verified": true,
}

review(login, state, sha) := {
	"id": sprintf("r-%s-%s", [login, state]),
	"reviewer": {"login": login, "type": "User"},
	"state": state,
	"submitted_at": "2026-11-24T09:00:00Z",
	"commit_sha": sha,
	"association": "MEMBER",
	"can_push": true,
}

check(name, status, conclusion) := {
	"name": name,
	"source": "check_run",
	"app": "github-actions",
	"status": status,
	"conclusion": conclusion,
	"required": false,
	"completed_at": "2026-11-24T08:00:00Z",
}

plan := "Disable the users_endpoint feature flag, then redeploy the previous image tag from the release page."

pr := {
	"schema": "change-gate/input/v1",
	"kind": "pull_request",
	"now": "2026-11-25T10:00:00Z",
	"repository": {"owner": "acme", "name": "api", "full_name": "acme/api", "default_branch": "main"},
	"event": {"name": "pull_request", "action": "synchronize", "actor": "alice", "sha": head_sha, "run_id": "9", "run_url": null},
	"pull_request": {
		"number": 42,
		"url": "https://github.com/acme/api/pull/42",
		"title": "ABC-123 add the users endpoint",
		"body": "## Rollback plan\nDisable the users_endpoint feature flag, then redeploy the previous image tag from the release page.",
		"draft": false,
		"labels": [],
		"base": {"ref": "main", "sha": base_sha},
		"head": {"ref": "feature/users", "sha": head_sha},
		"author": {"login": "alice", "type": "User"},
		"merged": false,
		"merged_by": null,
		"merge_commit_sha": null,
		"sections": {"rollback plan": plan},
		"commits": [
			commit(first_sha, [base_sha], "ABC-123 first", "alice"),
			commit(head_sha, [first_sha], "ABC-123 second", "alice"),
		],
		"commits_complete": true,
		"files": [{"path": "src/users.ts", "status": "MODIFIED", "additions": 10, "deletions": 2}],
		"files_complete": true,
		"reviews": [review("bob", "APPROVED", head_sha)],
		"reviews_complete": true,
		"latest_reviews": [review("bob", "APPROVED", head_sha)],
		"review_requests": [],
		"contributors": ["alice"],
		"checks": [
			check("build", "COMPLETED", "SUCCESS"),
			check("unit-tests", "COMPLETED", "SUCCESS"),
			{"name": "change-gate", "source": "status", "app": null, "status": "PENDING", "conclusion": null, "required": false, "completed_at": null},
		],
		"checks_complete": true,
	},
	"change": {
		"types": ["APPLICATION"],
		"paths_by_type": {"APPLICATION": ["src/users.ts"]},
		"affected_systems": ["acme/api"],
		"tickets": [{"key": "ABC-123", "source": "title"}],
		"rollback_plan": plan,
		"classification": {"method": "paths"},
	},
}

# pr_with: the compliant PR with some pull_request fields replaced.
pr_with(fields) := object.union(pr, {"pull_request": fields})

# change_with: the compliant PR with some change fields replaced.
change_with(fields) := object.union(pr, {"change": fields})

# codes: the codes of a set of decision items.
codes(items) := {item.code | some item in items}
