# METADATA
# title: Rollback plan
# description: |
#   The description has a rollback section (heading as configured, e.g. "## Rollback plan") with at
#   least the configured number of letters and digits of real content once placeholders and
#   boilerplate (N/A, TBD, "revert the merge commit", ...) are removed. Change types can be exempted.
# custom:
#   code: rollback/plan
#   control: CC8.1
#   severity: medium
#   remediation: Add a "## Rollback plan" section to the pull request description saying concretely how to undo this change (which flag, which migration, which version to redeploy).
package change_gate.rules.rollback.plan

import data.change_gate.lib

min_length := lib.param("rollback_plan", "min_length")

plan := input.change.rollback_plan

# Words of a text: lower-case runs of letters, digits and slashes (so "N/A" stays one word).
words(text) := [w | some w in regex.split(`[^a-z0-9/]+`, lower(text)); w != ""]

padded(text) := concat("", [" ", concat(" ", words(text)), " "])

# The plan with every placeholder phrase removed (whole words only).
residue := strings.replace_n({padded(p): " " | some p in lib.param("rollback_plan", "placeholders")}, padded(plan))

real_length := lib.alnum_length(residue)

sufficient if {
	is_string(plan)
	real_length >= min_length
}

# Exempt when every type of the change is exempted.
exempt if {
	count(input.change.types) > 0
	every t in input.change.types {
		t in lib.param("rollback_plan", "exempt_change_types")
	}
}

section := lib.param("rollback_plan", "sections")[0]

violations contains lib.result_with_facts(rego.metadata.chain(), message, {"plan": plan, "real_length": real_length, "min_length": min_length}) if {
	lib.applies("rollback_plan")
	not exempt
	not sufficient
	is_string(plan)
	message := sprintf("the rollback plan is a placeholder or too short: %d letters and digits of real content, %d required (placeholders such as N/A, TBD or \"revert the merge commit\" do not count)", [real_length, min_length])
}

violations contains lib.result(rego.metadata.chain(), message) if {
	lib.applies("rollback_plan")
	not exempt
	not is_string(plan)
	message := sprintf("the description has no rollback plan section (a heading such as \"## %s\")", [section])
}

passed contains lib.result(rego.metadata.chain(), "the description has a rollback plan") if {
	lib.applies("rollback_plan")
	not exempt
	sufficient
}

passed contains lib.result(rego.metadata.chain(), sprintf("not required for %s changes", [concat(", ", input.change.types)])) if {
	lib.applies("rollback_plan")
	exempt
}
