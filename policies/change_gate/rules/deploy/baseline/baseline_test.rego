package change_gate.rules.deploy.baseline_test

import data.change_gate.rules.deploy.baseline

_adopted := {
	"kind": "deployment",
	"event": {"actor": "rita"},
	"deployment": {"environment": "production", "previous_sha": "0123456789abcdef0123456789abcdef01234567", "previous_source": "baseline"},
	"changes": [],
	"changes_complete": true,
}

test_baseline_warns_naming_the_operator if {
	some w in baseline.warnings with input as _adopted
	w.code == "deploy/baseline"
	contains(w.message, "0123456789ab chosen by rita")
}

test_baseline_without_actor_names_the_operator if {
	some w in baseline.warnings with input as json.remove(_adopted, ["event/actor"])
	contains(w.message, "chosen by the operator")
}

test_recorded_previous_deployment_no_warning if {
	count(baseline.warnings) == 0 with input as json.patch(_adopted, [{"op": "replace", "path": "/deployment/previous_source", "value": "evidence"}])
}

test_pull_request_no_warning if {
	count(baseline.warnings) == 0 with input as object.union(_adopted, {"kind": "pull_request"})
}
