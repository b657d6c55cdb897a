# METADATA
# title: Break-glass justification
# description: |
#   The break-glass label turns denials into recorded exceptions only with a written justification
#   section in the description (DESIGN §2.6). The label without one is a violation of its own.
# custom:
#   code: break-glass/justification
#   control: CC8.1
#   severity: high
#   remediation: Add a "## Emergency justification" section explaining why this change cannot wait for the normal review, or remove the break-glass label.
package change_gate.rules.break_glass.justification

import data.change_gate.lib

violations contains lib.result(rego.metadata.chain(), message) if {
	lib.break_glass_declared
	not lib.break_glass_justified
	message := sprintf("the %q label is set but the description has no justification section with at least %d letters and digits (heading such as \"## %s\")", [
		lib.setting(["break_glass", "label"]),
		lib.setting(["break_glass", "min_length"]),
		lib.setting(["break_glass", "justification_sections"])[0],
	])
}
