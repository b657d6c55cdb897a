# METADATA
# title: No deployment during a change freeze
# description: >-
#   A deployment to an environment inside one of its configured freeze windows is denied, unless
#   the break-glass path is taken: a written justification given to the deploy step turns the
#   denial into a recorded exception that owes a retroactive review.
# scope: package
# custom:
#   code: deploy/freeze
#   control: CC8.1
#   severity: high
#   remediation: >-
#     Wait until the freeze window ends, or for an emergency pass a written justification
#     (the break-glass input) so the deployment is recorded as an exception and reviewed afterwards.
package change_gate.rules.deploy.freeze

import data.change_gate.lib

_windows := lib.setting(["deploy", "freeze", "windows"])

applies if {
	input.kind == "deployment"
	lib.setting(["deploy", "freeze", "enabled"]) == true
}

_now := time.parse_rfc3339_ns(input.now)

_covers(window) if count(object.get(window, "environments", [])) == 0

_covers(window) if input.deployment.environment in window.environments

active contains window.name if {
	some window in _windows
	_covers(window)
	time.parse_rfc3339_ns(window.start) <= _now
	_now < time.parse_rfc3339_ns(window.end)
}

break_glass if {
	lib.setting(["break_glass", "enabled"]) != false
	justification := input.deployment.break_glass.justification
	lib.alnum_length(justification) >= lib.setting(["break_glass", "min_length"])
}

_message(name) := sprintf("%q is frozen until the end of the %q window", [input.deployment.environment, name])

violations contains lib.result(rego.metadata.chain(), _message(name)) if {
	applies
	not break_glass
	some name in active
}

exceptions contains lib.result(rego.metadata.chain(), sprintf("%s; deployed through break glass: %s", [_message(name), input.deployment.break_glass.justification])) if {
	applies
	break_glass
	some name in active
}

# Without a valid evaluation instant no window can be ruled out: fail closed.
violations contains lib.result(rego.metadata.chain(), sprintf("the input's 'now' (%v) is not an RFC 3339 timestamp, so the freeze windows cannot be checked", [object.get(input, "now", null)])) if {
	applies
	count(_windows) > 0
	not _now
}

passed contains lib.result(rego.metadata.chain(), sprintf("no freeze window covers %q now", [input.deployment.environment])) if {
	applies
	_now
	count(active) == 0
}
