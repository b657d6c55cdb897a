# METADATA
# title: Passing tests
# description: |
#   The required checks (configured names or globs; by default every check and status on the head
#   commit except the gate's own) completed with success, neutral or skipped. Failed, cancelled or
#   timed-out denies; still running is pending, never success.
# custom:
#   code: tests/passing
#   control: CC8.1
#   severity: high
#   remediation: Fix the failing checks and push, or re-run them; wait for running checks to finish.
package change_gate.rules.tests.passing

import data.change_gate.lib

ok_conclusions := {"SUCCESS", "NEUTRAL", "SKIPPED"}

required_patterns := lib.param("passing_tests", "required_checks")

ignored(name) if {
	some pattern in lib.param("passing_tests", "ignore_checks")
	lib.name_matches(pattern, name)
}

considered contains c if {
	some c in input.pull_request.checks
	not ignored(c.name)
}

# The checks that must pass: all considered ones by default, else those matching a required pattern.
relevant contains c if {
	count(required_patterns) == 0
	some c in considered
}

relevant contains c if {
	some pattern in required_patterns
	some c in considered
	lib.name_matches(pattern, c.name)
}

# A required pattern that no check on the head commit matches (yet).
missing contains pattern if {
	some pattern in required_patterns
	not reported(pattern)
}

reported(pattern) if {
	some c in considered
	lib.name_matches(pattern, c.name)
}

failed contains sprintf("%s (%s)", [c.name, conclusion_text(c)]) if {
	some c in relevant
	c.status == "COMPLETED"
	not c.conclusion in ok_conclusions
}

conclusion_text(c) := lower(c.conclusion) if is_string(c.conclusion)

else := "no conclusion"

running contains c.name if {
	some c in relevant
	not c.status == "COMPLETED"
}

no_checks if count(relevant) == 0

facts := {
	"failed": sort([f | some f in failed]),
	"running": sort([r | some r in running]),
	"missing": sort([m | some m in missing]),
	"passed": sort([c.name | some c in relevant; c.status == "COMPLETED"; c.conclusion in ok_conclusions]),
}

violations contains lib.result_with_facts(rego.metadata.chain(), message, facts) if {
	lib.applies("passing_tests")
	count(failed) > 0
	message := sprintf("failed: %s", [concat(", ", facts.failed)])
}

pending contains lib.result_with_facts(rego.metadata.chain(), message, facts) if {
	lib.applies("passing_tests")
	count(running) > 0
	message := sprintf("still running: %s", [concat(", ", facts.running)])
}

pending contains lib.result_with_facts(rego.metadata.chain(), message, facts) if {
	lib.applies("passing_tests")
	count(missing) > 0
	message := sprintf("required checks not reported on the head commit yet: %s", [concat(", ", facts.missing)])
}

pending contains lib.result_with_facts(rego.metadata.chain(), "no checks have reported on the head commit yet", facts) if {
	lib.applies("passing_tests")
	count(required_patterns) == 0
	no_checks
}

passed contains lib.result_with_facts(rego.metadata.chain(), message, facts) if {
	lib.applies("passing_tests")
	not no_checks
	count(failed) == 0
	count(running) == 0
	count(missing) == 0
	message := sprintf("passed: %s", [concat(", ", facts.passed)])
}
