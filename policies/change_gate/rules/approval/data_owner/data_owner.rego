# METADATA
# title: Data owner approval
# description: |
#   Changes to configured sensitive data (path globs, or DDL files naming a sensitive table) need an
#   independent, fresh approval from one of the configured data owners, besides the second approver.
# custom:
#   code: approval/data-owner
#   control: CC8.1
#   severity: high
#   remediation: Ask one of the configured data owners (rules.data_owner.owners) to review and approve the latest commit.
package change_gate.rules.approval.data_owner

import data.change_gate.lib

sensitive_paths := lib.param("data_owner", "paths")

sensitive_tables := lib.param("data_owner", "tables")

sensitive contains f.path if {
	some pattern in sensitive_paths
	some f in input.pull_request.files
	lib.path_matches(pattern, f.path)
}

# File contents are not fetched, so a DDL file is sensitive when its path names a sensitive table.
sensitive contains path if {
	some table in sensitive_tables
	some path in object.get(input.change.paths_by_type, "DDL", [])
	contains(lower(path), lower(table))
}

owners := lib.lower_set(lib.param("data_owner", "owners"))

owner_approvals := lib.qualifying_approvers & owners

facts := {"sensitive_paths": sort([p | some p in sensitive]), "owners": sort([o | some o in owners]), "owner_approvals": sort([o | some o in owner_approvals])}

violations contains lib.result_with_facts(rego.metadata.chain(), message, facts) if {
	lib.applies("data_owner")
	count(sensitive) > 0
	not count(owner_approvals) > 0
	message := sprintf("%d sensitive path(s) changed (%s) without an approval from a data owner (%s)", [count(sensitive), concat(", ", facts.sensitive_paths), owners_text])
}

passed contains lib.result_with_facts(rego.metadata.chain(), message, facts) if {
	lib.applies("data_owner")
	count(sensitive) > 0
	count(owner_approvals) > 0
	message := sprintf("sensitive data changes approved by data owner %s", [concat(", ", facts.owner_approvals)])
}

owners_text := concat(", ", facts.owners) if count(owners) > 0

owners_text := "none configured: set rules.data_owner.owners" if count(owners) == 0
