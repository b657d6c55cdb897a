package change_gate.tests.rollback.plan

import data.change_gate.rules.rollback.plan as rule
import data.change_gate.tests.fixtures as f

with_plan(text) := f.change_with({"rollback_plan": text})

test_real_plan_passes if {
	count(rule.violations) == 0 with input as f.pr
	count(rule.passed) == 1 with input as f.pr
}

test_no_section_denies if {
	some item in rule.violations with input as with_plan(null)
	item.code == "rollback/plan"
	item.message == "the description has no rollback plan section (a heading such as \"## rollback plan\")"
}

test_placeholders_are_rejected if {
	every text in ["N/A", "n/a.", "TBD", "Revert the merge commit.", "revert the PR", "None", "", "- N/A -", "TBD TBD TBD TBD TBD TBD TBD", "Just revert."] {
		count(rule.violations) == 1 with input as with_plan(text)
	}
}

test_placeholder_words_inside_a_real_plan_are_fine if {
	count(rule.violations) == 0 with input as with_plan("Revert the flag in LaunchDarkly; no data migration, nothing else to undo.")
}

test_short_plan_is_rejected_with_the_count if {
	some item in rule.violations with input as with_plan("Redeploy v1")
	contains(item.message, "10 letters and digits of real content, 20 required")
}

test_min_length_and_placeholders_are_configurable if {
	cfg := {"rules": {"rollback_plan": {"min_length": 5, "placeholders": ["nope"]}}}
	count(rule.violations) == 0 with input as with_plan("Redeploy v1") with data.change_gate.config as cfg
	count(rule.violations) == 1 with input as with_plan("nope") with data.change_gate.config as cfg
}

test_exempt_change_types if {
	cfg := {"rules": {"rollback_plan": {"exempt_change_types": ["APPLICATION"]}}}
	some item in rule.passed with input as with_plan(null) with data.change_gate.config as cfg
	item.message == "not required for APPLICATION changes"
	mixed := f.change_with({"rollback_plan": null, "types": ["APPLICATION", "DDL"]})
	count(rule.violations) == 1 with input as mixed with data.change_gate.config as cfg
}

test_missing_change_fails_closed if {
	count(rule.violations) == 1 with input as object.remove(f.pr, ["change"])
}
