# METADATA
# title: Changes checked from an operator-chosen baseline
# description: >-
#   When change-gate is adopted on an environment that was deployed before it, an operator names
#   the release already running there (baseline-sha). The commits up to that baseline were accepted
#   by a person, not checked by the gate, and auditors must see that on the record.
# scope: package
# custom:
#   code: deploy/baseline
#   control: CC8.1
#   severity: medium
#   remediation: >-
#     Keep evidence of why the baseline was the release running in the environment (e.g. the
#     Deployments history); later deployments are checked from this one once its outcome is SUCCESS.
package change_gate.rules.deploy.baseline

import data.change_gate.lib

_chosen_by := input.event.actor if is_string(input.event.actor)

else := "the operator"

warnings contains lib.result(rego.metadata.chain(), msg) if {
	input.kind == "deployment"
	input.deployment.previous_source == "baseline"
	msg := sprintf(
		"%q had no recorded deployment: its changes are checked from the baseline %s chosen by %s; commits up to the baseline were not checked by change-gate",
		[input.deployment.environment, substring(input.deployment.previous_sha, 0, 12), _chosen_by],
	)
}
