package change_gate.tests.approval.unlinked_identities

import data.change_gate.main
import data.change_gate.rules.approval.unlinked_identities as rule
import data.change_gate.tests.fixtures as f

# The compliant PR with a commit co-authored by an identity that has no linked account.
unlinked_commit := object.union(f.commit(f.head_sha, [f.first_sha], "ABC-123 second", "alice"), {"co_authors": [{"login": null, "email": "Bob.Home@example.org"}]})

doc := f.pr_with({"commits": [f.commit(f.first_sha, [f.base_sha], "ABC-123 first", "alice"), unlinked_commit]})

deny := {"rules": {"second_approver": {"unlinked_identities": "deny"}}}

test_linked_identities_say_nothing if {
	count(rule.warnings) == 0 with input as f.pr
	count(rule.violations) == 0 with input as f.pr with data.change_gate.config as deny
	count(rule.passed) == 0 with input as f.pr with data.change_gate.config as deny
}

test_default_warns_naming_the_email if {
	[w] := [x | some x in rule.warnings] with input as doc
	w.code == "approval/unlinked-identity"
	contains(w.message, "bob.home@example.org")
	contains(w.remediation, "Link each email")
	count(rule.violations) == 0 with input as doc
	d := main.decision with input as doc
	d.allow == true
	{x.code | some x in d.warnings} == {"approval/unlinked-identity"}
}

test_deny_fails_closed_when_the_approver_might_be_the_unlinked_identity if {
	[v] := [x | some x in rule.violations] with input as doc with data.change_gate.config as deny
	v.message == "commit identities without a linked GitHub account: bob.home@example.org — any approver could be one of them, so 2 independent approvals are needed (have 1)"
	v.facts.needed == 2
	d := main.decision with input as doc with data.change_gate.config as deny
	d.allow == false
}

test_deny_is_covered_by_another_independent_approval if {
	reviews := [f.review("bob", "APPROVED", f.head_sha), f.review("carol", "APPROVED", f.head_sha)]
	two := object.union(doc, {"pull_request": {"latest_reviews": reviews, "reviews": reviews}})
	count(rule.violations) == 0 with input as two with data.change_gate.config as deny
	count(rule.passed) == 1 with input as two with data.change_gate.config as deny
}

test_unlinked_author_and_committer_are_named if {
	c := object.union(f.commit(f.head_sha, [f.first_sha], "x", "alice"), {"author": {"login": null, "email": "a@laptop"}, "committer": {"login": null, "email": "b@laptop"}})
	d2 := f.pr_with({"commits": [c]})
	some w in rule.warnings with input as d2
	contains(w.message, "a@laptop, b@laptop")
}

test_githubs_own_committer_is_not_a_person if {
	c := object.union(f.commit(f.head_sha, [f.first_sha], "x", "alice"), {"committer": {"login": null, "email": "noreply@github.com"}})
	count(rule.warnings) == 0 with input as f.pr_with({"commits": [c]})
}

test_switched_off_with_the_second_approver_rule if {
	count(rule.warnings) == 0 with input as doc with data.change_gate.config as {"rules": {"second_approver": {"enabled": false}}}
}

test_unknown_mode_denies if {
	some v in rule.violations with input as doc with data.change_gate.config as {"rules": {"second_approver": {"unlinked_identities": "ignore"}}}
	contains(v.message, "expected \"warn\" or \"deny\"")
}
