# METADATA
# title: Change without a pull request
# description: |
#   Every commit pushed to a protected branch reached it through a merged pull request into that
#   branch. A commit no merged pull request brought bypassed review: it is a violation, recorded
#   in a direct_push record. A push whose commit list was not read in full denies (fail closed).
#   Applies only to inputs of kind direct_push.
# custom:
#   code: push/no-pull-request
#   control: CC8.1
#   severity: high
#   remediation: Protect the branch (require pull requests and the change-gate status), then open a pull request that reviews this change retroactively.
package change_gate.rules.push.no_pull_request

import data.change_gate.lib

applies if input.kind == "direct_push"

# Commits with no merged pull request; a missing or malformed pull_request field counts as none.
direct contains c if {
	some c in input.push.commits
	not is_number(c.pull_request.number)
}

short(sha) := substring(sha, 0, 12)

violations contains lib.result_with_facts(rego.metadata.chain(), message, {"sha": c.sha, "pusher": input.push.pusher, "forced": input.push.forced}) if {
	applies
	some c in direct
	message := sprintf("commit %s reached %s without a merged pull request (pushed by %s%s)", [short(c.sha), input.push.branch, input.push.pusher, forced_note])
}

forced_note := ", a forced push" if input.push.forced == true

else := ""

violations contains lib.result(rego.metadata.chain(), sprintf("the commits of the push to %v were not read in full: the gate cannot tell which came from a pull request", [object.get(input.push, "branch", "?")])) if {
	applies
	not input.push.commits_complete == true
}

# A push with no commit list at all cannot show that its commits were reviewed.
violations contains lib.result(rego.metadata.chain(), "the push document lists no commits: the gate cannot tell which came from a pull request") if {
	applies
	not is_array(input.push.commits)
}

passed contains lib.result(rego.metadata.chain(), sprintf("every commit of the push to %s came from a merged pull request", [input.push.branch])) if {
	applies
	input.push.commits_complete == true
	is_array(input.push.commits)
	count(direct) == 0
}
