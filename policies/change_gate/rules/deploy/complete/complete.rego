# METADATA
# title: The release's facts are complete
# description: >-
#   The gate could list every commit of the release and establish its baseline. When it could not
#   (a range too large, a short answer from GitHub, an unreadable Deployments API) nothing about the
#   release is proven, so the deployment is denied rather than passed on partial facts.
# scope: package
# custom:
#   code: facts/complete
#   control: CC8.1
#   severity: high
#   remediation: >-
#     Read the listed problem and fix its cause (permissions, release size), then re-run the deploy job.
package change_gate.rules.deploy.complete

import data.change_gate.lib

applies if input.kind == "deployment"

violations contains lib.result(rego.metadata.chain(), sprintf("the release's changes are incomplete: %s", [_why])) if {
	applies
	not input.changes_complete == true
}

_why := concat("; ", input.facts_problems) if count(input.facts_problems) > 0
else := "the gate did not say which (no facts_problems)"

passed contains lib.result(rego.metadata.chain(), sprintf("all %d commit(s) of the release were listed", [count(input.changes)])) if {
	applies
	input.changes_complete == true
}
