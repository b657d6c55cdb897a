package change_gate.rules.deploy.unrecorded_test

import data.change_gate.rules.deploy.unrecorded

test_unrecorded_deployment_warns if {
	ws := unrecorded.warnings with input as {"kind": "deployment", "deployment": {"environment": "production", "unrecorded_deployment": {"sha": "abcdefabcdefabcdefabcdefabcdefabcdefabcd", "at": "2026-11-24T10:00:00Z"}}}
	[w.code | some w in ws] == ["deploy/unrecorded-deployment"]
}

test_no_finding_no_warning if {
	count(unrecorded.warnings) == 0 with input as {"kind": "deployment", "deployment": {"environment": "production", "unrecorded_deployment": null}}
}
