package change_gate.tests.ticket.reference

import data.change_gate.rules.ticket.reference as rule
import data.change_gate.tests.fixtures as f

test_ticket_passes if {
	some item in rule.passed with input as f.pr
	item.message == "references ABC-123"
	count(rule.violations) == 0 with input as f.pr
}

test_no_ticket_denies if {
	some item in rule.violations with input as f.change_with({"tickets": []})
	item.code == "ticket/reference"
	item.message == "no ticket reference in the title, branch, body, commits (keys inside code blocks do not count)"
}

test_only_configured_sources_count if {
	cfg := {"rules": {"ticket_reference": {"sources": ["body"]}}}
	count(rule.violations) == 1 with input as f.pr with data.change_gate.config as cfg
	body := f.change_with({"tickets": [{"key": "ABC-9", "source": "body"}]})
	count(rule.violations) == 0 with input as body with data.change_gate.config as cfg
}

test_missing_change_fails_closed if {
	count(rule.violations) == 1 with input as object.remove(f.pr, ["change"])
}
