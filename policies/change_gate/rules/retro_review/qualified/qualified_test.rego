package change_gate.tests.retro_review.qualified

import data.change_gate.main
import data.change_gate.rules.retro_review.qualified as rule
import data.change_gate.tests.fixtures as f

# The compliant PR, merged, judged for a review by `login` given after the merge.
retro(login, type) := object.union(f.pr, {
	"kind": "retro_review",
	"pull_request": {"merged": true, "merge_commit_sha": "e000000000000000000000000000000000000000"},
	"retro_review": {"reviewer": {"login": login, "type": type}, "review_id": "77", "submitted_at": "2026-11-25T08:00:00Z", "reviewed_change_id": "merge-1"},
})

with_latest(doc, reviews) := object.union(doc, {"pull_request": {"latest_reviews": reviews}})

test_independent_approval_on_the_merged_head_qualifies if {
	count(rule.violations) == 0 with input as retro("bob", "User")
	[p] := [x | some x in rule.passed] with input as retro("bob", "User")
	p.message == "bob qualifies as the retroactive reviewer of #42"
	d := main.decision with input as retro("BOB", "User")
	d.allow == true
}

test_the_author_does_not_qualify if {
	some v in rule.violations with input as retro("alice", "User")
	v.code == "retro-review/qualified"
	contains(v.message, "is the author of the pull request")
	contains(v.message, "has no standing approval")
}

test_a_contributor_does_not_qualify if {
	doc := with_latest(retro("carol", "User"), [f.review("carol", "APPROVED", f.head_sha)])
	doc2 := object.union(doc, {"pull_request": {"contributors": ["alice", "carol"]}})
	some v in rule.violations with input as doc2
	contains(v.message, "authored, committed or co-authored a commit")
}

test_a_bot_does_not_qualify if {
	some v in rule.violations with input as retro("renovate", "Bot")
	contains(v.message, "is not a human account")
}

test_an_approval_on_an_older_commit_does_not_qualify if {
	doc := with_latest(retro("bob", "User"), [f.review("bob", "APPROVED", f.first_sha)])
	some v in rule.violations with input as doc
	contains(v.message, "commits were pushed after it")
}

test_changes_requested_does_not_qualify if {
	doc := with_latest(retro("bob", "User"), [f.review("bob", "CHANGES_REQUESTED", f.head_sha)])
	some v in rule.violations with input as doc
	contains(v.message, "latest opinionated review is not APPROVED")
}

test_a_reviewer_without_push_access_does_not_qualify if {
	doc := with_latest(retro("bob", "User"), [object.union(f.review("bob", "APPROVED", f.head_sha), {"can_push": false})])
	some v in rule.violations with input as doc
	contains(v.message, "cannot push")
	count(rule.violations) == 0 with input as doc with data.change_gate.config as {"rules": {"second_approver": {"require_can_push": false}}}
}

test_incomplete_reviews_deny if {
	doc := object.union(retro("bob", "User"), {"pull_request": {"reviews_complete": false}})
	some v in rule.violations with input as doc
	contains(v.message, "reviews_complete")
}

test_break_glass_does_not_waive_it if {
	doc := object.union(retro("alice", "User"), {"pull_request": {"labels": ["emergency-change"], "sections": {"emergency justification": "Production outage: the payment API is down for all EU customers."}}})
	d := main.decision with input as doc
	d.allow == false
	{v.code | some v in d.violations} == {"retro-review/qualified"}
}

test_pull_request_inputs_are_not_judged if {
	count(rule.violations) == 0 with input as f.pr
	count(rule.passed) == 0 with input as f.pr
}
