# METADATA
# title: Ticket reference
# description: |
#   The change references a ticket (Jira-style ABC-123, ServiceNow CHG0012345, ... as configured) in
#   the title, branch, body or commit messages. Keys inside code blocks or inline code do not count.
# custom:
#   code: ticket/reference
#   control: CC8.1
#   severity: medium
#   remediation: Put the ticket key (for example ABC-123) in the pull request title, branch name or description, outside code blocks.
package change_gate.rules.ticket.reference

import data.change_gate.lib

source_list := lib.param("ticket_reference", "sources")

sources := {s | some s in source_list}

tickets := sort({t.key | some t in input.change.tickets; t.source in sources})

violations contains lib.result_with_facts(rego.metadata.chain(), message, {"sources": source_list}) if {
	lib.applies("ticket_reference")
	not count(tickets) > 0
	message := sprintf("no ticket reference in the %s (keys inside code blocks do not count)", [concat(", ", source_list)])
}

passed contains lib.result_with_facts(rego.metadata.chain(), sprintf("references %s", [concat(", ", tickets)]), {"tickets": tickets}) if {
	lib.applies("ticket_reference")
	count(tickets) > 0
}
