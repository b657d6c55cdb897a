package change_gate.tests.approval.second_approver

import data.change_gate.rules.approval.second_approver as rule
import data.change_gate.tests.fixtures as f

test_independent_approval_on_head_passes if {
	count(rule.violations) == 0 with input as f.pr
	some item in rule.passed with input as f.pr
	item.code == "approval/second-approver"
	item.message == "approved by bob"
	item.control == "CC8.1"
	item.severity == "high"
	item.title == "Second approver"
}

test_no_review_denies if {
	some item in rule.violations with input as f.pr_with({"latest_reviews": []})
	item.message == "0 of 1 required independent approvals on the head commit"
	item.remediation != ""
}

test_self_approval_denies if {
	some item in rule.violations with input as f.pr_with({"latest_reviews": [f.review("alice", "APPROVED", f.head_sha)]})
	contains(item.message, "alice is the author of the pull request")
}

test_author_match_is_case_insensitive if {
	count(rule.violations) == 1 with input as f.pr_with({"latest_reviews": [f.review("Alice", "APPROVED", f.head_sha)]})
}

test_stale_approval_denies if {
	some item in rule.violations with input as f.pr_with({"latest_reviews": [f.review("bob", "APPROVED", f.first_sha)]})
	contains(item.message, "bob approved commit c100000, but commits were pushed after it")
}

test_approval_before_a_base_merge_stays_fresh if {
	merge := f.commit(f.head_sha, [f.first_sha, "b900000000000000000000000000000000000000"], "Merge branch 'main'", "alice")
	input_doc := f.pr_with({
		"commits": [f.commit(f.first_sha, [f.base_sha], "ABC-123 first", "alice"), merge],
		"latest_reviews": [f.review("bob", "APPROVED", f.first_sha)],
	})
	count(rule.violations) == 0 with input as input_doc
	count(rule.violations) == 1 with input as input_doc with data.change_gate.config as {"rules": {"second_approver": {"allow_base_merges_after_approval": false}}}
}

test_merge_of_a_pr_commit_after_approval_is_stale if {
	# The second parent is a commit of the PR itself: new work merged in, not the base branch.
	other := "c300000000000000000000000000000000000000"
	merge := f.commit(f.head_sha, [f.first_sha, other], "Merge feature work", "alice")
	input_doc := f.pr_with({
		"commits": [f.commit(f.first_sha, [f.base_sha], "ABC-123 first", "alice"), f.commit(other, [f.base_sha], "more", "alice"), merge],
		"latest_reviews": [f.review("bob", "APPROVED", f.first_sha)],
	})
	count(rule.violations) == 1 with input as input_doc
}

test_co_author_approval_denies if {
	c := object.union(f.commit(f.head_sha, [f.first_sha], "pairing", "alice"), {"co_authors": [{"login": "bob", "email": "bob@example.com"}]})
	input_doc := f.pr_with({"commits": [f.commit(f.first_sha, [f.base_sha], "x", "alice"), c], "contributors": ["alice", "bob"]})
	some item in rule.violations with input as input_doc
	contains(item.message, "bob authored, committed or co-authored a commit of the pull request")
}

test_co_author_denies_even_without_the_contributors_list if {
	c := object.union(f.commit(f.head_sha, [f.first_sha], "pairing", "alice"), {"co_authors": [{"login": "Bob", "email": "bob@example.com"}]})
	input_doc := json.remove(f.pr_with({"commits": [f.commit(f.first_sha, [f.base_sha], "x", "alice"), c]}), ["pull_request/contributors"])
	count(rule.violations) == 1 with input as input_doc
	committed := object.union(f.commit(f.head_sha, [f.first_sha], "rebased", "alice"), {"committer": {"login": "bob", "email": "bob@example.com"}})
	count(rule.violations) == 1 with input as json.remove(f.pr_with({"commits": [committed]}), ["pull_request/contributors"])
	count(rule.violations) == 0 with input as json.remove(f.pr, ["pull_request/contributors"])
}

test_committer_cannot_approve if {
	count(rule.violations) == 1 with input as f.pr_with({"contributors": ["alice", "bob"]})
}

test_bot_approval_denies if {
	bot := object.union(f.review("review-bot", "APPROVED", f.head_sha), {"reviewer": {"type": "Bot"}})
	some item in rule.violations with input as f.pr_with({"latest_reviews": [bot]})
	contains(item.message, "is not a human account")
}

test_reviewer_without_push_access if {
	outsider := object.union(f.review("eve", "APPROVED", f.head_sha), {"can_push": false, "association": "CONTRIBUTOR"})
	input_doc := f.pr_with({"latest_reviews": [outsider]})
	some item in rule.violations with input as input_doc
	contains(item.message, "eve cannot push to the repository")
	count(rule.violations) == 0 with input as input_doc with data.change_gate.config as {"rules": {"second_approver": {"require_can_push": false}}}
}

test_changes_requested_is_not_an_approval if {
	count(rule.violations) == 1 with input as f.pr_with({"latest_reviews": [f.review("bob", "CHANGES_REQUESTED", f.head_sha)]})
}

test_required_count_and_per_type if {
	two := f.pr_with({"latest_reviews": [f.review("bob", "APPROVED", f.head_sha), f.review("carol", "APPROVED", f.head_sha)]})
	config := {"rules": {"second_approver": {"required_approvals": 2}}}
	some item in rule.violations with input as f.pr with data.change_gate.config as config
	item.message == "1 of 2 required independent approvals on the head commit"
	count(rule.violations) == 0 with input as two with data.change_gate.config as config

	ddl := object.union(f.pr, {"change": {"types": ["DDL"]}})
	by_type := {"rules": {"second_approver": {"required_approvals_by_type": {"DDL": 2}}}}
	count(rule.violations) == 1 with input as ddl with data.change_gate.config as by_type
	count(rule.violations) == 0 with input as f.pr with data.change_gate.config as by_type
}

test_missing_reviews_fail_closed if {
	count(rule.violations) == 1 with input as object.remove(f.pr, ["pull_request"])
}

test_disabled_rule_says_nothing if {
	cfg := {"rules": {"second_approver": {"enabled": false}}}
	count(rule.violations) == 0 with input as f.pr_with({"latest_reviews": []}) with data.change_gate.config as cfg
	count(rule.passed) == 0 with input as f.pr with data.change_gate.config as cfg
}

test_applies_only_to_pull_requests_and_merges if {
	count(rule.violations) == 1 with input as object.union(f.pr_with({"latest_reviews": []}), {"kind": "merge"})
	count(rule.violations) == 0 with input as object.union(f.pr_with({"latest_reviews": []}), {"kind": "deployment"})
}
