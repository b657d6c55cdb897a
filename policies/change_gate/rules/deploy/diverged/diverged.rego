# METADATA
# title: The release contains what is deployed
# description: >-
#   The SHA being deployed is neither a descendant of the last deployed one nor an ancestor (a
#   rollback): it comes from another line of history, so commits running in the environment now
#   are withdrawn by this deployment. Its own new commits are still checked from the merge base.
#   A warning, so the release manager sees what disappears.
# scope: package
# custom:
#   code: deploy/diverged
#   control: CC8.1
#   severity: medium
#   remediation: >-
#     Deploy a SHA that contains the deployed one (merge or rebase the branch onto it), or confirm
#     that withdrawing the deployed commits is intended.
package change_gate.rules.deploy.diverged

import data.change_gate.lib

warnings contains lib.result(rego.metadata.chain(), msg) if {
	input.kind == "deployment"
	input.deployment.range_status == "diverged"
	msg := sprintf("%s does not contain the deployed %s: the commits deployed since their merge base are withdrawn", [substring(input.deployment.sha, 0, 12), substring(input.deployment.previous_sha, 0, 12)])
}
