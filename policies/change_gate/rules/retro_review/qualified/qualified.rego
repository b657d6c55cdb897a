# METADATA
# title: Qualifying retroactive review
# description: |
#   A pull request merged through break glass owes a retroactive review (DESIGN §2.6). An approval
#   given after the merge settles it only when the reviewer would qualify as a second approver:
#   a human, not the author, not any commit's author, committer or co-author, able to push (when
#   configured), and whose latest opinionated review is an APPROVED review of the merged head
#   (or of a commit followed only by base-branch merges, when configured). The same checks as
#   approval/second-approver (lib.reviewer_problems). Applies only to inputs of kind retro_review.
# custom:
#   code: retro-review/qualified
#   control: CC8.1
#   severity: high
#   remediation: Ask a reviewer who did not write any of the change, is a human with push access, to approve the merged head of the pull request.
package change_gate.rules.retro_review.qualified

import data.change_gate.lib

applies if input.kind == "retro_review"

login := lower(input.retro_review.reviewer.login)

# The reviewer's standing opinion: their entry in latest_reviews (one per reviewer), if any.
latest := [r | some r in input.pull_request.latest_reviews; lower(r.reviewer.login) == login]

approval := latest[0] if latest[0].state == "APPROVED"

problems contains "is not a human account (bots never count)" if not input.retro_review.reviewer.type == "User"

problems contains "has no standing approval on the pull request (their latest opinionated review is not APPROVED)" if not approval

# With an approval, every reason it would not count as a second approval.
problems contains p if some p in lib.reviewer_problems(approval)

# Without one, still say who the reviewer is to the change (author, contributor).
problems contains lib.problem(identity, kind) if {
	not approval
	identity := {"reviewer": input.retro_review.reviewer}
	some kind in ["author", "contributor"]
}

# The facts must be whole to know the latest opinion and the contributors.
problems contains sprintf("cannot be judged: the pull request's %s were not read in full", [concat(", ", sort(missing))]) if {
	missing := {f | some f in ["commits_complete", "reviews_complete"]; not input.pull_request[f] == true}
	count(missing) > 0
}

violations contains lib.result_with_facts(rego.metadata.chain(), message, {"reviewer": input.retro_review.reviewer.login, "problems": sorted}) if {
	applies
	count(problems) > 0
	sorted := sort([p | some p in problems])
	message := sprintf("the approval by %s does not settle the break-glass exception of #%v: the reviewer %s", [input.retro_review.reviewer.login, input.pull_request.number, concat("; ", sorted)])
}

passed contains lib.result(rego.metadata.chain(), sprintf("%s qualifies as the retroactive reviewer of #%v", [input.retro_review.reviewer.login, input.pull_request.number])) if {
	applies
	count(problems) == 0
}
