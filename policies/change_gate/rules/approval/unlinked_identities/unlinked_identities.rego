# METADATA
# title: Commit identities linked to GitHub accounts
# description: |
#   A commit whose author, committer or co-author has no linked GitHub account (an email only)
#   cannot be matched against the reviewers, so that person's own approval could count as an
#   independent one. With rules.second_approver.unlinked_identities "warn" (the default) this is a
#   warning naming the emails. With "deny" it fails closed: every unlinked identity might be one
#   of the approvers, so the pull request needs that many independent approvals on top of the
#   required count.
# custom:
#   code: approval/unlinked-identity
#   control: CC8.1
#   severity: medium
#   remediation: Link each email to its GitHub account (Settings → Emails, or amend the commits with a linked email), or have another independent reviewer approve.
package change_gate.rules.approval.unlinked_identities

import data.change_gate.lib
import data.change_gate.rules.approval.second_approver

mode := lib.param("second_approver", "unlinked_identities")

emails := sort([e | some e in lib.unlinked_emails])

# Enough independent approvals even if each unlinked identity is one of the approvers.
needed := second_approver.required + count(emails)

approved := count(lib.qualifying_approvers)

covered if approved >= needed

facts := {"emails": emails, "mode": mode, "approvers": approved, "needed": needed}

listed := concat(", ", emails)

warnings contains lib.result_with_facts(rego.metadata.chain(), message, facts) if {
	lib.applies("second_approver")
	mode == "warn"
	count(emails) > 0
	message := sprintf("commit identities without a linked GitHub account: %s — an approval by one of them could not be recognised as their own", [listed])
}

violations contains lib.result_with_facts(rego.metadata.chain(), message, facts) if {
	lib.applies("second_approver")
	mode == "deny"
	count(emails) > 0
	not covered
	message := sprintf("commit identities without a linked GitHub account: %s — any approver could be one of them, so %d independent approvals are needed (have %d)", [listed, needed, approved])
}

passed contains lib.result_with_facts(rego.metadata.chain(), message, facts) if {
	lib.applies("second_approver")
	mode == "deny"
	count(emails) > 0
	covered
	message := sprintf("commit identities without a linked GitHub account (%s) are covered by %d independent approvals", [listed, approved])
}

# A mode other than warn or deny must not silently switch the check off (config validation
# rejects it; this guards policies evaluated with hand-written data).
mode_text := sprintf("%v", [mode]) if mode != null

else := "missing"

violations contains lib.result(rego.metadata.chain(), sprintf("rules.second_approver.unlinked_identities is %s; expected \"warn\" or \"deny\"", [mode_text])) if {
	lib.applies("second_approver")
	not mode in {"warn", "deny"}
}
