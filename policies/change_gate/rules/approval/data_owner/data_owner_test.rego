package change_gate.tests.approval.data_owner

import data.change_gate.rules.approval.data_owner as rule
import data.change_gate.tests.fixtures as f

config := {"rules": {"data_owner": {"owners": ["Dana"], "paths": ["**/phi/**"], "tables": ["patients"]}}}

phi_change := f.pr_with({"files": [{"path": "src/phi/records.ts", "status": "MODIFIED", "additions": 1, "deletions": 0}]})

test_no_sensitive_paths_means_no_result if {
	count(rule.violations) == 0 with input as f.pr with data.change_gate.config as config
	count(rule.passed) == 0 with input as f.pr with data.change_gate.config as config
}

test_sensitive_path_needs_a_data_owner if {
	some item in rule.violations with input as phi_change with data.change_gate.config as config
	item.code == "approval/data-owner"
	item.facts.sensitive_paths == ["src/phi/records.ts"]
	contains(item.message, "dana")
}

test_data_owner_approval_passes if {
	approved := object.union(phi_change, {"pull_request": {"latest_reviews": [f.review("dana", "APPROVED", f.head_sha)]}})
	count(rule.violations) == 0 with input as approved with data.change_gate.config as config
	count(rule.passed) == 1 with input as approved with data.change_gate.config as config
}

test_stale_data_owner_approval_does_not_count if {
	stale := object.union(phi_change, {"pull_request": {"latest_reviews": [f.review("dana", "APPROVED", f.first_sha)]}})
	count(rule.violations) == 1 with input as stale with data.change_gate.config as config
}

test_ddl_naming_a_sensitive_table if {
	ddl := object.union(f.pr, {"change": {"types": ["DDL"], "paths_by_type": {"DDL": ["db/migrations/0042_alter_Patients.sql"]}}})
	count(rule.violations) == 1 with input as ddl with data.change_gate.config as config
}

test_no_owners_configured_still_denies if {
	cfg := {"rules": {"data_owner": {"paths": ["**/phi/**"]}}}
	some item in rule.violations with input as phi_change with data.change_gate.config as cfg
	contains(item.message, "none configured")
}
