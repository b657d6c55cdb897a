package change_gate.tests.facts.complete

import data.change_gate.rules.facts.complete as rule
import data.change_gate.tests.fixtures as f

test_complete_facts_pass if {
	count(rule.violations) == 0 with input as f.pr
	count(rule.passed) == 1 with input as f.pr
}

test_any_incomplete_list_denies if {
	every flag in ["commits_complete", "files_complete", "reviews_complete", "checks_complete"] {
		count(rule.violations) == 1 with input as f.pr_with({flag: false})
	}
}

test_message_names_the_lists if {
	some item in rule.violations with input as f.pr_with({"commits_complete": false, "checks_complete": false})
	item.code == "facts/complete"
	item.facts.incomplete == ["checks_complete", "commits_complete"]
}

test_missing_flag_denies if {
	count(rule.violations) == 1 with input as json.remove(f.pr, ["pull_request/files_complete"])
}
