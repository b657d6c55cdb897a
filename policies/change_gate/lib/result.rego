# METADATA
# title: change-gate library
# description: |
#   Helpers shared by every rule: decision items built from the rule's METADATA, the config
#   lookup with defaults, and which inputs the pull-request rules apply to.
package change_gate.lib

# result builds a decision item {code, title, message, control, severity, remediation} from the
# calling rule's metadata chain (pass rego.metadata.chain()): the nearest annotation that carries
# custom.code — the rule's own, else its package's. Items are never assembled by hand.
result(chain, message) := {
	"code": meta.custom.code,
	"title": object.get(meta, "title", meta.custom.code),
	"message": message,
	"control": object.get(meta.custom, "control", "CC8.1"),
	"severity": object.get(meta.custom, "severity", "high"),
	"remediation": object.get(meta.custom, "remediation", ""),
} if {
	meta := coded(chain)[0]
} else := {
	# A rule without a code must not vanish from the decision (that would fail open).
	"code": "policy/metadata-missing",
	"title": "Rule metadata missing",
	"message": sprintf("a rule at %v produced a result but carries no METADATA custom.code: %s", [concat(".", [sprintf("%v", [p]) | some p in chain[0].path]), message]),
	"control": "CC8.1",
	"severity": "high",
	"remediation": "Add a # METADATA block with custom.code, control, severity and remediation to the rule or its package.",
}

# result_with_facts is result plus the facts that decided the rule (shown by `eval --explain`).
result_with_facts(chain, message, facts) := object.union(result(chain, message), {"facts": facts})

coded(chain) := [a |
	some entry in chain
	a := entry.annotations
	is_string(a.custom.code)
]
