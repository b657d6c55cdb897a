package change_gate.tests.approval.changes_requested

import data.change_gate.rules.approval.changes_requested as rule
import data.change_gate.tests.fixtures as f

test_no_request_passes if {
	count(rule.violations) == 0 with input as f.pr
	count(rule.passed) == 1 with input as f.pr
}

test_standing_request_blocks_despite_an_approval if {
	input_doc := f.pr_with({"latest_reviews": [f.review("bob", "APPROVED", f.head_sha), f.review("carol", "CHANGES_REQUESTED", f.first_sha)]})
	some item in rule.violations with input as input_doc
	item.code == "approval/changes-requested"
	item.message == "changes requested by carol"
	item.facts.requested_by == ["carol"]
}

test_bot_request_does_not_block if {
	bot := object.union(f.review("lint-bot", "CHANGES_REQUESTED", f.head_sha), {"reviewer": {"type": "Bot"}})
	count(rule.violations) == 0 with input as f.pr_with({"latest_reviews": [f.review("bob", "APPROVED", f.head_sha), bot]})
}

test_request_from_someone_without_push_access if {
	outsider := object.union(f.review("eve", "CHANGES_REQUESTED", f.head_sha), {"can_push": false})
	input_doc := f.pr_with({"latest_reviews": [outsider]})
	count(rule.violations) == 0 with input as input_doc
	count(rule.violations) == 1 with input as input_doc with data.change_gate.config as {"rules": {"second_approver": {"require_can_push": false}}}
}

test_missing_reviews_do_not_pass if {
	count(rule.passed) == 0 with input as object.remove(f.pr, ["pull_request"])
}
