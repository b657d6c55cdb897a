package change_gate.rules.deploy.first_deployment_test

import data.change_gate.rules.deploy.first_deployment

_first := {"kind": "deployment", "deployment": {"environment": "production", "previous_sha": null}, "changes": [], "changes_complete": true}

test_first_deployment_warns_by_default if {
	count(first_deployment.warnings) == 1 with input as _first
	count(first_deployment.violations) == 0 with input as _first
}

test_first_deployment_denies_when_configured if {
	count(first_deployment.violations) == 1 with input as _first with data.change_gate.config.deploy.first_deployment as "deny"
}

test_later_deployment_no_warning if {
	count(first_deployment.warnings) == 0 with input as json.patch(_first, [{"op": "replace", "path": "/deployment/previous_sha", "value": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}])
}
