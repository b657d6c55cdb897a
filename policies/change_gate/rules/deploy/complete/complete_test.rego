package change_gate.rules.deploy.complete_test

import data.change_gate.rules.deploy.complete

test_incomplete_denies if {
	vs := complete.violations with input as {"kind": "deployment", "changes": [], "changes_complete": false, "facts_problems": ["compare reported 5 commits but its pages held 1"]}
	[v.code | some v in vs] == ["facts/complete"]
}

test_missing_flag_denies if {
	count(complete.violations) == 1 with input as {"kind": "deployment", "changes": [], "facts_problems": []}
}

test_complete_passes if {
	count(complete.violations) == 0 with input as {"kind": "deployment", "changes": [], "changes_complete": true, "facts_problems": []}
}
