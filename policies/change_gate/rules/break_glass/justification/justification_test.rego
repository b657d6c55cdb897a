package change_gate.tests.break_glass.justification

import data.change_gate.rules.break_glass.justification as rule
import data.change_gate.tests.fixtures as f

test_no_label_no_result if {
	count(rule.violations) == 0 with input as f.pr
}

test_label_without_justification_denies if {
	some item in rule.violations with input as f.pr_with({"labels": ["Emergency-Change"]})
	item.code == "break-glass/justification"
}

test_label_with_justification_passes if {
	doc := f.pr_with({"labels": ["emergency-change"], "sections": {"emergency justification": "Payments are down for every customer since 09:12; this restores the previous timeout."}})
	count(rule.violations) == 0 with input as doc
}

test_short_justification_denies if {
	count(rule.violations) == 1 with input as f.pr_with({"labels": ["emergency-change"], "sections": {"justification": "urgent"}})
}
