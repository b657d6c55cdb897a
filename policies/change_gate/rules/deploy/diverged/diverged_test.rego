package change_gate.rules.deploy.diverged_test

import data.change_gate.rules.deploy.diverged

_doc(status) := {"kind": "deployment", "deployment": {"sha": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "previous_sha": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "range_status": status}}

test_diverged_warns if {
	ws := diverged.warnings with input as _doc("diverged")
	[w.message | some w in ws] == ["bbbbbbbbbbbb does not contain the deployed aaaaaaaaaaaa: the commits deployed since their merge base are withdrawn"]
}

test_ahead_no_warning if {
	count(diverged.warnings) == 0 with input as _doc("ahead")
}
