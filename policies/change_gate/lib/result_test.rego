package change_gate.tests.lib

import data.change_gate.lib

chain := [
	{"path": ["change_gate", "rules", "x", "violations"]},
	{"path": ["change_gate", "rules", "x"], "annotations": {"scope": "package", "title": "X rule", "custom": {"code": "x/rule", "control": "CC8.1", "severity": "low", "remediation": "do y"}}},
]

test_result_reads_the_nearest_code if {
	lib.result(chain, "msg") == {"code": "x/rule", "title": "X rule", "message": "msg", "control": "CC8.1", "severity": "low", "remediation": "do y"}
}

test_rule_annotation_wins_over_the_package if {
	own := array.concat([{"path": ["change_gate", "rules", "x", "violations"], "annotations": {"scope": "rule", "title": "Own", "custom": {"code": "x/own"}}}], array.slice(chain, 1, 2))
	r := lib.result(own, "m")
	r.code == "x/own"
	r.title == "Own"
	r.severity == "high"
}

test_missing_code_is_a_visible_item if {
	r := lib.result([{"path": ["change_gate", "rules", "y", "violations"]}], "m")
	r.code == "policy/metadata-missing"
	contains(r.message, "change_gate.rules.y.violations")
}

test_result_with_facts if {
	lib.result_with_facts(chain, "m", {"a": 1}).facts == {"a": 1}
}

test_setting_prefers_config_then_defaults if {
	lib.param("second_approver", "required_approvals") == 1
	lib.param("second_approver", "required_approvals") == 3 with data.change_gate.config as {"rules": {"second_approver": {"required_approvals": 3}}}
	lib.param("rollback_plan", "min_length") == 20 with data.change_gate.config as {"rules": {"second_approver": {"required_approvals": 3}}}
	not lib.param("second_approver", "no_such_key")
}

test_name_and_path_globs if {
	lib.name_matches("test-*", "test-e2e / node 20.x")
	not lib.name_matches("test-*", "build")
	lib.path_matches("**/phi/**", "src/phi/a/b.ts")
	lib.path_matches("**/phi/**", "phi/a.ts")
	lib.path_matches("**/*.sql", "schema.sql")
	not lib.path_matches("**/phi/**", "src/phil/a.ts")
	not lib.path_matches("src/*.ts", "src/a/b.ts")
}
