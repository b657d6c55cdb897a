package change_gate.tests.main

import data.change_gate.main
import data.change_gate.tests.fixtures as f

justified := {"emergency justification": "Payments are down for every customer since 09:12; this restores the previous timeout."}

test_compliant_pr_is_allowed if {
	d := main.decision with input as f.pr
	d.allow == true
	d.violations == []
	d.pending == []
	d.exceptions == []
	f.codes(d.passed) == {"approval/second-approver", "approval/changes-requested", "ticket/reference", "rollback/plan", "tests/passing", "facts/complete"}
}

test_every_item_has_the_decision_fields if {
	d := main.decision with input as f.change_with({"tickets": [], "rollback_plan": null})
	count(d.violations) == 2
	every item in array.concat(d.violations, d.passed) {
		every field in ["code", "title", "message", "control", "severity", "remediation"] {
			is_string(item[field])
			item[field] != ""
		}
	}
}

test_violations_from_several_rules_deny if {
	d := main.decision with input as f.pr_with({"latest_reviews": [], "checks": [f.check("build", "COMPLETED", "FAILURE")]})
	d.allow == false
	f.codes(d.violations) == {"approval/second-approver", "tests/passing"}
}

test_pending_alone_still_allows_with_pending_items if {
	d := main.decision with input as f.pr_with({"checks": [f.check("build", "IN_PROGRESS", null)]})
	d.allow == true
	f.codes(d.pending) == {"tests/passing"}
}

test_break_glass_turns_denials_into_exceptions if {
	doc := f.pr_with({"labels": ["emergency-change"], "sections": justified, "latest_reviews": []})
	d := main.decision with input as doc
	d.allow == true
	d.break_glass == true
	d.violations == []
	f.codes(d.exceptions) == {"approval/second-approver"}
	some item in d.exceptions
	contains(item.message, "retroactive review by a qualifying approver is due within 24 h")
}

test_break_glass_label_without_justification_denies if {
	d := main.decision with input as f.pr_with({"labels": ["emergency-change"], "latest_reviews": []})
	d.allow == false
	f.codes(d.violations) == {"approval/second-approver", "break-glass/justification"}
	d.exceptions == []
}

test_break_glass_can_be_disabled if {
	doc := f.pr_with({"labels": ["emergency-change"], "sections": justified, "latest_reviews": []})
	d := main.decision with input as doc with data.change_gate.config as {"break_glass": {"enabled": false}}
	d.allow == false
	f.codes(d.violations) == {"approval/second-approver"}
}

test_custom_packages_plug_in if {
	d := main.decision with input as f.pr with data.change_gate.custom.team.owners.violations as {{"code": "team/owners", "title": "Team", "message": "no", "control": "CC8.1", "severity": "low", "remediation": "x"}}
	d.allow == false
	f.codes(d.violations) == {"team/owners"}
}

test_deploy_packages_plug_in if {
	item := {"code": "deploy/freeze", "title": "Freeze", "message": "frozen", "control": "CC8.1", "severity": "high", "remediation": "wait"}
	d := main.decision with input as f.pr with data.change_gate.rules.deploy.freeze.violations as {item}
	f.codes(d.violations) == {"deploy/freeze"}
}

test_unknown_input_is_denied if {
	d := main.decision with input as {"hello": "world"}
	d.allow == false
	f.codes(d.violations) == {"policy/input"}
}

test_kind_no_rule_judges_is_denied if {
	d := main.decision with input as object.union(f.pr, {"kind": "release"})
	d.allow == false
	some item in d.violations
	item.code == "policy/input"
	item.message == "no rule judged this input (kind: release)"
}

test_all_rules_disabled_is_denied if {
	off := {"enabled": false}
	cfg := {"rules": {"second_approver": off, "changes_requested": off, "data_owner": off, "ticket_reference": off, "rollback_plan": off, "passing_tests": off, "facts_complete": off}}
	d := main.decision with input as f.pr with data.change_gate.config as cfg
	f.codes(d.violations) == {"policy/input"}

	# ... and break glass does not waive that.
	emergency := f.pr_with({"labels": ["emergency-change"], "sections": justified})
	e := main.decision with input as emergency with data.change_gate.config as cfg
	f.codes(e.violations) == {"policy/input"}
	e.allow == false
}
