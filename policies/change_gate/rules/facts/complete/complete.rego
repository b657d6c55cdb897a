# METADATA
# title: Complete facts
# description: |
#   Every list the gate decides on (commits, files, reviews, checks) was read in full. A list cut
#   short by pagination limits or API errors denies: a rule must never pass on partial facts.
# custom:
#   code: facts/complete
#   control: CC8.1
#   severity: high
#   remediation: Re-run the gate; if the pull request is very large (thousands of commits or files), split it.
package change_gate.rules.facts.complete

import data.change_gate.lib

flags := ["commits_complete", "files_complete", "reviews_complete", "checks_complete"]

incomplete contains flag if {
	some flag in flags
	not input.pull_request[flag] == true
}

violations contains lib.result_with_facts(rego.metadata.chain(), message, {"incomplete": sort([f | some f in incomplete])}) if {
	lib.applies("facts_complete")
	count(incomplete) > 0
	message := sprintf("the facts were not read in full (%s): the gate cannot decide on a partial list", [concat(", ", sort([f | some f in incomplete]))])
}

passed contains lib.result(rego.metadata.chain(), "commits, files, reviews and checks were read in full") if {
	lib.applies("facts_complete")
	count(incomplete) == 0
}
