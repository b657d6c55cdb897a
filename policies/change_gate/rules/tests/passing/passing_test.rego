package change_gate.tests.tests.passing

import data.change_gate.rules.tests.passing as rule
import data.change_gate.tests.fixtures as f

with_checks(checks) := f.pr_with({"checks": checks})

test_all_green_passes_and_ignores_the_gate_itself if {
	count(rule.violations) == 0 with input as f.pr
	count(rule.pending) == 0 with input as f.pr
	some item in rule.passed with input as f.pr
	item.message == "passed: build, unit-tests"
}

test_neutral_and_skipped_pass if {
	count(rule.passed) == 1 with input as with_checks([f.check("a", "COMPLETED", "NEUTRAL"), f.check("b", "COMPLETED", "SKIPPED")])
}

test_failed_cancelled_timed_out_deny if {
	checks := [f.check("build", "COMPLETED", "FAILURE"), f.check("lint", "COMPLETED", "CANCELLED"), f.check("e2e", "COMPLETED", "TIMED_OUT"), f.check("ok", "COMPLETED", "SUCCESS")]
	some item in rule.violations with input as with_checks(checks)
	item.code == "tests/passing"
	item.message == "failed: build (failure), e2e (timed_out), lint (cancelled)"
	count(rule.passed) == 0 with input as with_checks(checks)
}

test_failed_status_denies if {
	status := {"name": "ci/jenkins", "source": "status", "app": null, "status": "COMPLETED", "conclusion": "ERROR", "required": false, "completed_at": null}
	count(rule.violations) == 1 with input as with_checks([status])
}

test_completed_without_conclusion_denies if {
	count(rule.violations) == 1 with input as with_checks([f.check("odd", "COMPLETED", null)])
}

test_running_is_pending_never_success if {
	checks := [f.check("build", "COMPLETED", "SUCCESS"), f.check("unit-tests", "IN_PROGRESS", null)]
	some item in rule.pending with input as with_checks(checks)
	item.message == "still running: unit-tests"
	count(rule.violations) == 0 with input as with_checks(checks)
	count(rule.passed) == 0 with input as with_checks(checks)
}

test_no_checks_yet_is_pending if {
	some item in rule.pending with input as with_checks([])
	item.message == "no checks have reported on the head commit yet"
	count(rule.passed) == 0 with input as with_checks([])
}

test_required_checks_by_name_and_glob if {
	cfg := {"rules": {"passing_tests": {"required_checks": ["build", "test-*"]}}}
	checks := [f.check("build", "COMPLETED", "SUCCESS"), f.check("test-unit", "COMPLETED", "SUCCESS"), f.check("flaky", "COMPLETED", "FAILURE")]
	count(rule.violations) == 0 with input as with_checks(checks) with data.change_gate.config as cfg
	count(rule.passed) == 1 with input as with_checks(checks) with data.change_gate.config as cfg
	failing := [f.check("build", "COMPLETED", "SUCCESS"), f.check("test-e2e / node 20.x", "COMPLETED", "FAILURE")]
	count(rule.violations) == 1 with input as with_checks(failing) with data.change_gate.config as cfg
}

test_required_check_not_reported_is_pending if {
	cfg := {"rules": {"passing_tests": {"required_checks": ["build", "security-scan"]}}}
	some item in rule.pending with input as with_checks([f.check("build", "COMPLETED", "SUCCESS")]) with data.change_gate.config as cfg
	item.message == "required checks not reported on the head commit yet: security-scan"
}

test_gate_context_is_ignored_even_when_required if {
	cfg := {"rules": {"passing_tests": {"required_checks": ["change-gate"], "ignore_checks": ["change-gate"]}}}
	count(rule.violations) == 0 with input as f.pr with data.change_gate.config as cfg
	count(rule.pending) == 1 with input as f.pr with data.change_gate.config as cfg
}

test_missing_checks_do_not_pass if {
	count(rule.passed) == 0 with input as object.remove(f.pr, ["pull_request"])
}

test_ignore_globs if {
	cfg := {"rules": {"passing_tests": {"ignore_checks": ["change-gate", "optional/*"]}}}
	checks := [f.check("build", "COMPLETED", "SUCCESS"), f.check("optional/lint", "COMPLETED", "FAILURE")]
	count(rule.violations) == 0 with input as with_checks(checks) with data.change_gate.config as cfg
	count(rule.violations) == 1 with input as with_checks(checks)
}

test_literal_names_with_glob_characters if {
	cfg := {"rules": {"passing_tests": {"required_checks": ["build (ubuntu, [18])"]}}}
	count(rule.passed) == 1 with input as with_checks([f.check("build (ubuntu, [18])", "COMPLETED", "SUCCESS")]) with data.change_gate.config as cfg
}
