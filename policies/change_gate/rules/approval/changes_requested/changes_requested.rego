# METADATA
# title: No changes requested
# description: |
#   A standing CHANGES_REQUESTED review from a human reviewer who can push (when configured)
#   blocks the change until that reviewer approves or the review is dismissed.
# custom:
#   code: approval/changes-requested
#   control: CC8.1
#   severity: high
#   remediation: Address the requested changes and ask the reviewer to approve, or have the review dismissed with a reason.
package change_gate.rules.approval.changes_requested

import data.change_gate.lib

blockers contains r.reviewer.login if {
	some r in input.pull_request.latest_reviews
	r.state == "CHANGES_REQUESTED"
	r.reviewer.type == "User"
	can_push_ok(r)
}

can_push_ok(r) if lib.param("second_approver", "require_can_push") == false

can_push_ok(r) if r.can_push == true

violations contains lib.result_with_facts(rego.metadata.chain(), message, {"requested_by": sort([b | some b in blockers])}) if {
	lib.applies("changes_requested")
	count(blockers) > 0
	message := sprintf("changes requested by %s", [concat(", ", sort([b | some b in blockers]))])
}

passed contains lib.result(rego.metadata.chain(), "no standing request for changes") if {
	lib.applies("changes_requested")
	is_array(input.pull_request.latest_reviews)
	count(blockers) == 0
}
