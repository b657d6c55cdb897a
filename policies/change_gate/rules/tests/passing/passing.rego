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

ignore_patterns := lib.param("passing_tests", "ignore_checks")

# Plain names are looked up in a set; only real globs are matched one by one.
ignore_globs := {p | some p in ignore_patterns; lib.is_glob(p)}

ignored(name) if name in ignore_patterns

ignored(name) if {
	some pattern in ignore_globs
	glob.match(pattern, ["\n"], name)
}

# Indexes into the checks (small values: the decision walks every rule's value).
considered contains i if {
	some i, c in input.pull_request.checks
	not ignored(c.name)
}

# The checks that must pass: all considered ones by default, else those matching a required pattern.
relevant contains i if {
	count(required_patterns) == 0
	some i in considered
}

relevant contains i if {
	some pattern in required_patterns
	some i in considered
	lib.name_matches(pattern, input.pull_request.checks[i].name)
}

# A required pattern that no check on the head commit matches (yet).
missing contains pattern if {
	some pattern in required_patterns
	not reported(pattern)
}

reported(pattern) if {
	some i in considered
	lib.name_matches(pattern, input.pull_request.checks[i].name)
}

failed contains sprintf("%s (%s)", [c.name, conclusion_text(c)]) if {
	some i in relevant
	c := input.pull_request.checks[i]
	c.status == "COMPLETED"
	not c.conclusion in ok_conclusions
}

conclusion_text(c) := lower(c.conclusion) if is_string(c.conclusion)

else := "no conclusion"

running contains input.pull_request.checks[i].name if {
	some i in relevant
	not input.pull_request.checks[i].status == "COMPLETED"
}

succeeded contains input.pull_request.checks[i].name if {
	some i in relevant
	input.pull_request.checks[i].status == "COMPLETED"
	input.pull_request.checks[i].conclusion in ok_conclusions
}

no_checks if count(relevant) == 0

facts := {
	"failed": sort([f | some f in failed]),
	"running": sort([r | some r in running]),
	"missing": sort([m | some m in missing]),
	"passed": sort([n | some n in succeeded]),
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
