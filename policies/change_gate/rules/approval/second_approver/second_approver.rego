# METADATA
# title: Second approver
# description: |
#   At least the configured number of independent approvals on the head commit: humans who are
#   neither the author nor any commit's author, committer or co-author, who can push (when
#   configured), and whose approval is not stale. Dismissed reviews never count.
# custom:
#   code: approval/second-approver
#   control: CC8.1
#   severity: high
#   remediation: Ask a reviewer with write access who did not author or commit any of the changes to approve the latest commit.
package change_gate.rules.approval.second_approver

import data.change_gate.lib

# The highest count that applies: the base count, or a stricter one for a type of this change.
required := max({lib.param("second_approver", "required_approvals")} | {n |
	some t in input.change.types
	n := lib.param("second_approver", "required_approvals_by_type")[t]
})

satisfied if count(lib.qualifying_approvers) >= required

facts := {
	"required": required,
	"approvers": sort([a | some a in lib.qualifying_approvers]),
	"rejected": lib.rejected_approvals,
	"head_sha": object.get(input, ["pull_request", "head", "sha"], null),
}

violations contains lib.result_with_facts(rego.metadata.chain(), message, facts) if {
	lib.applies("second_approver")
	not satisfied
	message := sprintf("%d of %d required independent approvals on the head commit%s", [count(lib.qualifying_approvers), required, rejected_text])
}

passed contains lib.result_with_facts(rego.metadata.chain(), message, facts) if {
	lib.applies("second_approver")
	satisfied
	message := sprintf("approved by %s", [concat(", ", sort([a | some a in lib.qualifying_approvers]))])
}

rejected_text := "" if count(lib.rejected_approvals) == 0

rejected_text := sprintf("; not counted: %s", [concat("; ", [sprintf("%s %s", [r.reviewer, concat(" and ", r.problems)]) | some r in lib.rejected_approvals])]) if {
	count(lib.rejected_approvals) > 0
}
