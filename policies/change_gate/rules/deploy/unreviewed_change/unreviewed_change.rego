# METADATA
# title: Every change in the release was reviewed
# description: >-
#   Each commit between the last successful deployment and this one reached the branch through a
#   merged pull request whose merge record, frozen by the PR gate at merge time, says allow.
#   A commit without a pull request, a pull request without a merge record, or one merged while
#   its gate said deny, pending or error is a violation.
# scope: package
# custom:
#   code: deploy/unreviewed-change
#   control: CC8.1
#   severity: high
#   remediation: >-
#     Revert the listed commits, or bring them in again through a pull request that passes the
#     gate; then deploy the new SHA. A commit pushed straight to the branch is never reviewed.
package change_gate.rules.deploy.unreviewed_change

import data.change_gate.lib


applies if {
	input.kind == "deployment"
	lib.setting(["deploy", "unreviewed_change", "enabled"]) == true
}

_short(sha) := substring(sha, 0, 12)

_headline(message) := split(message, "\n")[0]

_who(change) := change.author.login if is_string(change.author.login)
else := change.author.email if is_string(change.author.email)
else := "an unknown author"

# A change must positively show a PR and an allowing merge record: anything missing is a problem.
_has_pr(c) if is_object(c.pr)

_has_record(c) if is_object(c.pr.merge_record)

problems contains sprintf("commit %s (%q by %s) reached the branch without a pull request", [_short(c.sha), _headline(c.message), _who(c)]) if {
	some c in input.changes
	not _has_pr(c)
}

problems contains sprintf("PR #%d (%s) has no merge record in the evidence store: it was merged without the gate recording it", [c.pr.number, object.get(c.pr, "url", "")]) if {
	some c in input.changes
	_has_pr(c)
	not _has_record(c)
}

problems contains sprintf("PR #%d was merged while its gate said %s (merge record %s)", [c.pr.number, object.get(c.pr.merge_record, "verdict", "nothing"), object.get(c.pr.merge_record, "change_id", "?")]) if {
	some c in input.changes
	_has_record(c)
	not c.pr.merge_record.verdict == "allow"
}

violations contains lib.result(rego.metadata.chain(), message) if {
	applies
	some message in problems
}

passed contains lib.result(rego.metadata.chain(), sprintf("all %d change(s) came through pull requests the gate allowed", [count(input.changes)])) if {
	applies
	count(problems) == 0
}
