package change_gate.rules.deploy.freeze_test

import data.change_gate.rules.deploy.freeze

_windows := [
	{"name": "year-end", "start": "2026-12-20T00:00:00Z", "end": "2027-01-04T00:00:00Z", "environments": ["production"]},
	{"name": "migration", "start": "2026-11-10T00:00:00Z", "end": "2026-11-11T00:00:00Z", "environments": []},
]

_doc(now, env, justification) := {"kind": "deployment", "now": now, "deployment": {"environment": env, "break_glass": _bg(justification)}}

_bg(j) := null if j == null
else := {"justification": j}

test_inside_window_denied if {
	vs := freeze.violations with input as _doc("2026-12-24T12:00:00Z", "production", null) with data.change_gate.config.deploy.freeze.windows as _windows
	[v.message | some v in vs] == ["\"production\" is frozen until the end of the \"year-end\" window"]
}

test_other_environment_not_frozen if {
	count(freeze.violations) == 0 with input as _doc("2026-12-24T12:00:00Z", "staging", null) with data.change_gate.config.deploy.freeze.windows as _windows
}

test_window_without_environments_covers_all if {
	count(freeze.violations) == 1 with input as _doc("2026-11-10T08:00:00+01:00", "staging", null) with data.change_gate.config.deploy.freeze.windows as _windows
}

test_end_is_exclusive if {
	count(freeze.violations) == 0 with input as _doc("2027-01-04T00:00:00Z", "production", null) with data.change_gate.config.deploy.freeze.windows as _windows
	count(freeze.passed) == 1 with input as _doc("2027-01-04T00:00:00Z", "production", null) with data.change_gate.config.deploy.freeze.windows as _windows
}

test_break_glass_turns_the_denial_into_an_exception if {
	doc := _doc("2026-12-24T12:00:00Z", "production", "INC-42: payments are down, shipping the fix")
	count(freeze.violations) == 0 with input as doc with data.change_gate.config.deploy.freeze.windows as _windows
	es := freeze.exceptions with input as doc with data.change_gate.config.deploy.freeze.windows as _windows
	count(es) == 1
	some e in es
	e.code == "deploy/freeze"
	contains(e.message, "break glass: INC-42")
}

test_short_justification_is_not_break_glass if {
	count(freeze.violations) == 1 with input as _doc("2026-12-24T12:00:00Z", "production", "urgent") with data.change_gate.config.deploy.freeze.windows as _windows
}

test_break_glass_disabled_by_config if {
	doc := _doc("2026-12-24T12:00:00Z", "production", "INC-42: payments are down, shipping the fix")
	count(freeze.violations) == 1 with input as doc with data.change_gate.config.deploy.freeze.windows as _windows with data.change_gate.config.break_glass.enabled as false
}

test_missing_now_fails_closed if {
	doc := object.remove(_doc("2026-12-24T12:00:00Z", "production", null), {"now"})
	count(freeze.violations) == 1 with input as doc with data.change_gate.config.deploy.freeze.windows as _windows
	count(freeze.passed) == 0 with input as doc with data.change_gate.config.deploy.freeze.windows as _windows
}
