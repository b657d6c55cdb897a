# METADATA
# title: change-gate decision
# description: |
#   The entrypoint data.change_gate.main.decision. It collects the results of EVERY package under
#   data.change_gate.rules and data.change_gate.custom (so rules added later, such as deploy rules or
#   a team's own, plug in without touching this file): each package may define the sets
#   violations, warnings, pending, exceptions and passed of items built by lib.result.
#   Under break glass (lib.break_glass_active) the violations become exceptions.
package change_gate.main

import data.change_gate.lib

lists := {"violations", "warnings", "pending", "exceptions", "passed"}

# Every [list, item] that a rule package put in one of the lists, from both trees. One walk per
# tree, whatever the depth of the packages: rules added later (deploy, custom) need no change here.
items contains [name, item] if {
	walk(data.change_gate.rules, [path, node])
	some item in listed(path, node)
	name := path[count(path) - 1]
}

items contains [name, item] if {
	walk(data.change_gate.custom, [path, node])
	some item in listed(path, node)
	name := path[count(path) - 1]
}

listed(path, node) := node if {
	count(path) > 0
	path[count(path) - 1] in lists
	is_set(node)
}

# The items per list, computed once.
by_list := {name: {pair[1] | some pair in items; pair[0] == name} | some name in lists}

collected(name) := by_list[name]

denials := collected("violations")

# Under break glass a denial is recorded as an exception with its retroactive review; if the
# exception cannot be built the denial stays a violation (fail closed).
as_exception(item) := object.union(item, {"message": sprintf("%s — break glass: allowed as an emergency change; a retroactive review by a qualifying approver is due within %v h", [item.message, lib.setting(["break_glass", "review_within_hours"])])}) if {
	lib.break_glass_active
}

violations contains item if {
	some item in denials
	not as_exception(item)
}

# The input guard is never waived: break glass cannot stand in for rules that did not run.
violations contains item if some item in guard_violations

exceptions contains as_exception(item) if some item in denials

exceptions contains item if some item in collected("exceptions")

# Fail closed when nothing judged the input: an unknown kind or schema must not allow by silence.

# METADATA
# title: Input judged
# description: The input is a document the policies know, and at least one rule judged it.
# custom:
#   code: policy/input
#   control: CC8.1
#   severity: high
#   remediation: Evaluate a change-gate/input/v1 document of a kind the policy set handles (pull_request, merge, direct_push, deployment), or add rules for this kind.
guard_violations contains lib.result(rego.metadata.chain(), guard_message)

guard_message := sprintf("the input is not a change-gate/input/v1 document (schema: %v)", [object.get(input, "schema", "missing")]) if {
	not input.schema == "change-gate/input/v1"
} else := sprintf("no rule judged this input (kind: %v)", [object.get(input, "kind", "missing")]) if {
	judged := (collected("violations") | collected("passed")) | (collected("pending") | collected("exceptions"))
	count(judged) == 0
}

default break_glass := false

break_glass if lib.break_glass_active

as_list(set) := [x | some x in set]

decision := {
	"allow": count(violations) == 0,
	"violations": as_list(violations),
	"warnings": as_list(collected("warnings")),
	"pending": as_list(collected("pending")),
	"exceptions": as_list(exceptions),
	"passed": as_list(collected("passed")),
	"break_glass": break_glass,
}
