package change_gate.lib

# The configuration (`.github/change-gate.yml`, validated and defaulted by change-gate, passed as
# data.change_gate.config). Read it ONLY through setting/param: one lookup, one set of defaults.
# These defaults equal src/config/defaults.ts (a test keeps them equal); they apply when a policy
# is evaluated without config data (custom engines, unit tests).
config := data.change_gate.config

default config := {}

defaults := {
	"version": 1,
	"rules": {
		"second_approver": {
			"enabled": true,
			"required_approvals": 1,
			"required_approvals_by_type": {},
			"require_can_push": true,
			"allow_base_merges_after_approval": true,
			"unlinked_identities": "warn",
		},
		"changes_requested": {"enabled": true},
		"data_owner": {"enabled": true, "owners": [], "paths": [], "tables": []},
		"ticket_reference": {
			"enabled": true,
			"patterns": [`\b[A-Z][A-Z0-9]{1,9}-[1-9][0-9]*\b`, `\bCHG[0-9]{7}\b`],
			"sources": ["title", "branch", "body", "commits"],
			"project_keys": [],
		},
		"rollback_plan": {
			"enabled": true,
			"sections": ["rollback plan", "rollback", "roll back plan", "rollback strategy", "backout plan", "back-out plan"],
			"min_length": 20,
			"placeholders": [
				"n/a", "na", "none", "nothing", "not applicable", "tbd", "tba", "todo", "wip", "see above", "same as above",
				"revert", "revert it", "revert the merge commit", "revert the commit", "revert the pr", "revert this pr", "revert the pull request",
				"rollback", "roll back",
			],
			"exempt_change_types": [],
		},
		"passing_tests": {"enabled": true, "required_checks": [], "ignore_checks": ["change-gate"]},
		"facts_complete": {"enabled": true},
	},
	"classification": {
		"DDL": ["**/migrations/**", "**/migrate/**", "**/*.sql", "**/*.ddl"],
		"PIPELINE": [".github/workflows/**", ".github/actions/**", ".gitlab-ci.yml", ".circleci/**", "**/Jenkinsfile", "azure-pipelines.yml", ".buildkite/**"],
		"ACCESS": ["CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS", ".github/change-gate.yml", "**/iam/**", "**/rbac/**"],
		"INFRASTRUCTURE": ["**/*.tf", "**/*.tfvars", "**/*.hcl", "**/terraform/**", "**/helm/**", "**/charts/**", "**/k8s/**", "**/kubernetes/**", "**/Dockerfile", "**/*.Dockerfile", "**/docker-compose*.yml", "**/*.bicep", "**/cloudformation/**", "**/pulumi/**"],
	},
	"affected_systems": {},
	"break_glass": {
		"enabled": true,
		"label": "emergency-change",
		"justification_sections": ["emergency justification", "justification", "break glass justification"],
		"min_length": 20,
		"review_within_hours": 24,
	},
	"deploy": {
		"unreviewed_change": {"enabled": true},
		"version": {"enabled": true, "allow_prerelease": []},
		"freeze": {"enabled": true, "windows": []},
		"first_deployment": "warn",
	},
}

# setting is the configured value at path (an array of keys), else the default. Undefined when
# neither has it, so a rule that requires `setting(...)` to hold fails closed.
setting(path) := value if {
	value := object.get(config, path, object.get(defaults, path, null))
	value != null
}

# param is the setting of one rule: param("second_approver", "required_approvals").
param(rule, key) := setting(["rules", rule, key])

# The input kinds the pull-request rules judge.
pr_kinds := {"pull_request", "merge"}

# applies holds when the pull-request rule `rule` is switched on and the input is a pull request.
applies(rule) if {
	input.kind in pr_kinds
	param(rule, "enabled") == true
}

# lower_set is a set of strings, lower-cased (logins compare case-insensitively on GitHub).
lower_set(xs) := {lower(x) | some x in xs}

# name_matches says whether a check or status name matches a name or glob; `*` spans the whole
# name (check names are flat, so no delimiter).
name_matches(pattern, name) := true if pattern == name

else := glob.match(pattern, ["\n"], name)

# path_matches says whether a file path matches a path glob (`*` within a segment, `**` across).
path_matches(pattern, path) if glob.match(pattern, ["/"], path)

# A leading `**/` also matches at the root, as in the classification globs ("**/phi/**" ~ "phi/a.sql").
path_matches(pattern, path) if {
	startswith(pattern, "**/")
	glob.match(substring(pattern, 3, -1), ["/"], path)
}

# is_glob: the pattern has glob syntax (else it is a plain name).
is_glob(pattern) if regex.match(`[*?\[{]`, pattern)

# Letters and digits only: how much real content a text has.
alnum_length(text) := count(regex.replace(lower(text), `[^a-z0-9]`, ""))
