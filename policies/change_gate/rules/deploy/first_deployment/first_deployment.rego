# METADATA
# title: A first deployment has no baseline
# description: >-
#   The first deployment of an environment has no earlier successful deployment to compare with,
#   so its changes cannot be listed. It is a warning by default (deploy.first_deployment: warn) and
#   a violation with deploy.first_deployment: deny.
# scope: package
# custom:
#   code: deploy/first-deployment
#   control: CC8.1
#   severity: medium
#   remediation: >-
#     Check the first release by hand, or record a known-good baseline with mode outcome; later
#     deployments are checked commit by commit from it.
package change_gate.rules.deploy.first_deployment

import data.change_gate.lib

_mode := lib.setting(["deploy", "first_deployment"])

first if {
	input.kind == "deployment"
	input.deployment.previous_sha == null
	input.changes_complete == true
}

_message := sprintf("first deployment of %q: no earlier successful deployment, so the changes it ships were not checked", [input.deployment.environment])

warnings contains lib.result(rego.metadata.chain(), _message) if {
	first
	_mode != "deny"
}

violations contains lib.result(rego.metadata.chain(), _message) if {
	first
	_mode == "deny"
}
