package change_gate.tests.push.no_pull_request

import data.change_gate.main
import data.change_gate.rules.push.no_pull_request as rule

identity(login) := {"login": login, "email": sprintf("%s@example.com", [login]), "name": login}

commit(sha, pr) := {
	"sha": sha,
	"message": "bump the timeout",
	"timestamp": "2026-11-24T17:00:00Z",
	"author": identity("mallory"),
	"committer": identity("mallory"),
	"co_authors": [],
	"pull_request": pr,
}

via_pr := commit("1111111111111111111111111111111111111111", {"number": 42})

direct := commit("2222222222222222222222222222222222222222", null)

push(commits) := {
	"schema": "change-gate/input/v1",
	"kind": "direct_push",
	"now": "2026-11-25T10:00:00Z",
	"repository": {"owner": "acme", "name": "api", "full_name": "acme/api", "default_branch": "main"},
	"event": {"name": "push", "action": null, "actor": "mallory", "sha": "2222222222222222222222222222222222222222", "run_id": "9", "run_url": null},
	"push": {
		"ref": "refs/heads/main", "branch": "main",
		"before": "3333333333333333333333333333333333333333", "after": "2222222222222222222222222222222222222222",
		"forced": false, "pusher": "mallory", "commits": commits, "commits_complete": true,
	},
}

test_commit_without_a_pull_request_denies if {
	[item] := [v | some v in rule.violations] with input as push([via_pr, direct])
	item.code == "push/no-pull-request"
	item.message == "commit 222222222222 reached main without a merged pull request (pushed by mallory)"
	item.facts.sha == direct.sha
	item.remediation != ""
}

test_each_direct_commit_is_named if {
	other := object.union(direct, {"sha": "4444444444444444444444444444444444444444"})
	count(rule.violations) == 2 with input as push([direct, other])
}

test_forced_push_says_so if {
	doc := object.union(push([direct]), {"push": {"forced": true}})
	some item in rule.violations with input as doc
	endswith(item.message, "(pushed by mallory, a forced push)")
}

test_every_commit_from_a_pull_request_passes if {
	count(rule.violations) == 0 with input as push([via_pr])
	count(rule.passed) == 1 with input as push([via_pr])
}

test_missing_pull_request_field_denies if {
	count(rule.violations) == 1 with input as push([json.remove(direct, ["pull_request"])])
}

test_incomplete_commit_list_denies if {
	doc := object.union(push([via_pr]), {"push": {"commits_complete": false}})
	count(rule.violations) == 1 with input as doc
	count(rule.passed) == 0 with input as doc
}

test_missing_commit_list_denies if {
	count(rule.violations) == 1 with input as json.remove(push([]), ["push/commits"])
}

test_pull_request_inputs_are_not_judged if {
	count(rule.violations) == 0 with input as object.union(push([direct]), {"kind": "pull_request"})
	count(rule.passed) == 0 with input as object.union(push([direct]), {"kind": "pull_request"})
}

# Through the entrypoint: the push rule is the one that decides; PR rules stay silent.
test_decision_denies_a_direct_push if {
	d := main.decision with input as push([via_pr, direct])
	d.allow == false
	{v.code | some v in d.violations} == {"push/no-pull-request"}
}

test_decision_allows_a_push_of_merged_pull_requests if {
	d := main.decision with input as push([via_pr])
	d.allow == true
	d.violations == []
}
