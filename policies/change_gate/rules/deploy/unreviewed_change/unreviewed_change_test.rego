package change_gate.rules.deploy.unreviewed_change_test

import data.change_gate.rules.deploy.unreviewed_change

_record(verdict) := {"change_id": "merge-1", "verdict": verdict, "approved_by": ["carol"], "ticket_reference": ["OPS-1"], "change_type": [], "exceptions": [], "recorded_at": "2026-11-20T10:00:00Z"}

_reviewed := {"sha": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "message": "Add billing (#1)", "author": {"login": "bob", "email": "bob@x"}, "is_merge": false, "pr": {"number": 1, "url": "https://github.com/acme/api/pull/1", "title": "Add billing", "merge_record": _record("allow")}}

_doc(changes) := {"kind": "deployment", "deployment": {"environment": "production"}, "changes": changes, "changes_complete": true}

test_clean_release_passes if {
	count(unreviewed_change.violations) == 0 with input as _doc([_reviewed])
	count(unreviewed_change.passed) == 1 with input as _doc([_reviewed])
}

test_direct_push_is_a_violation if {
	push := {"sha": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "message": "hotfix\n\nbody", "author": {"login": null, "email": "m@x"}, "is_merge": false, "pr": null}
	vs := unreviewed_change.violations with input as _doc([_reviewed, push])
	count(vs) == 1
	some v in vs
	v.code == "deploy/unreviewed-change"
	v.control == "CC8.1"
	v.severity == "high"
	contains(v.message, "commit bbbbbbbbbbbb (\"hotfix\" by m@x) reached the branch without a pull request")
}

test_pr_merged_while_failing_is_a_violation if {
	bad := object.union(_reviewed, {"pr": object.union(_reviewed.pr, {"number": 2, "merge_record": _record("deny")})})
	vs := unreviewed_change.violations with input as _doc([bad])
	[v.message | some v in vs] == ["PR #2 was merged while its gate said deny (merge record merge-1)"]
}

test_missing_merge_record_is_a_violation if {
	missing := object.union(_reviewed, {"pr": object.union(_reviewed.pr, {"merge_record": null})})
	vs := unreviewed_change.violations with input as _doc([missing])
	count(vs) == 1
}

test_commits_of_one_pr_give_one_violation if {
	bad := object.union(_reviewed, {"pr": object.union(_reviewed.pr, {"merge_record": _record("error")})})
	second := object.union(bad, {"sha": "cccccccccccccccccccccccccccccccccccccccc"})
	count(unreviewed_change.violations) == 1 with input as _doc([bad, second])
}

test_only_deployments if {
	count(unreviewed_change.violations) == 0 with input as {"kind": "pull_request", "changes": [{"pr": null}]}
}

test_disabled_by_config if {
	push := {"sha": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "message": "x", "author": {"login": "m", "email": "m@x"}, "is_merge": false, "pr": null}
	count(unreviewed_change.violations) == 0 with input as _doc([push]) with data.change_gate.config.deploy.unreviewed_change.enabled as false
}

test_missing_fields_fail_closed if {
	no_pr_key := {"sha": "dddddddddddddddddddddddddddddddddddddddd", "message": "x", "author": {"login": null, "email": null}}
	no_verdict := json.patch(_reviewed, [{"op": "replace", "path": "/pr/merge_record", "value": {"change_id": "merge-9"}}])
	vs := unreviewed_change.violations with input as _doc([no_pr_key, no_verdict])
	msgs := {v.message | some v in vs}
	msgs == {
		"commit dddddddddddd (\"x\" by an unknown author) reached the branch without a pull request",
		"PR #1 was merged while its gate said nothing (merge record merge-9)",
	}
}
