# METADATA
# title: Every deployment went through the gate
# description: >-
#   GitHub's Deployments API shows a successful deployment of the environment that is newer than
#   the last one the evidence store recorded, and of another SHA: something shipped without the
#   deploy gate. The release is still checked from the recorded baseline (which covers those
#   commits on a linear history); the finding is a warning for the audit trail.
# scope: package
# custom:
#   code: deploy/unrecorded-deployment
#   control: CC8.1
#   severity: medium
#   remediation: >-
#     Find the workflow or person that deployed without change-gate and add the deploy gate to it;
#     record the incident for the auditors.
package change_gate.rules.deploy.unrecorded

import data.change_gate.lib

warnings contains lib.result(rego.metadata.chain(), msg) if {
	input.kind == "deployment"
	d := input.deployment.unrecorded_deployment
	is_object(d)
	msg := sprintf("GitHub shows a successful deployment of %s to %q at %v that the evidence store has no record of: it shipped without the gate", [substring(d.sha, 0, 12), input.deployment.environment, d.at])
}
