# METADATA
# title: The release version is valid and increases
# description: >-
#   When a release version is given it must be a valid semantic version (a leading "v" is
#   allowed), greater than the version last deployed to the environment, and a pre-release only
#   in environments configured to take them. A rollback may lower the version.
# scope: package
# custom:
#   code: deploy/version
#   control: CC8.1
#   severity: medium
#   remediation: >-
#     Tag the release with a semantic version (MAJOR.MINOR.PATCH) greater than the one deployed;
#     ship pre-releases (1.2.0-rc.1) only to the environments listed in deploy.version.allow_prerelease.
package change_gate.rules.deploy.version

import data.change_gate.lib


applies if {
	input.kind == "deployment"
	lib.setting(["deploy", "version", "enabled"]) == true
	is_string(input.deployment.version)
}

_bare(v) := trim_prefix(v, "v")

version := _bare(input.deployment.version)

prerelease if contains(split(version, "+")[0], "-")

problems contains sprintf("version %q is not a semantic version (MAJOR.MINOR.PATCH)", [input.deployment.version]) if {
	not semver.is_valid(version)
}

problems contains sprintf("version %s is a pre-release and %q does not take pre-releases", [version, input.deployment.environment]) if {
	semver.is_valid(version)
	prerelease
	not input.deployment.environment in lib.setting(["deploy", "version", "allow_prerelease"])
}

problems contains sprintf("version %s does not increase over %s, last deployed to %q", [version, _bare(input.deployment.previous_version), input.deployment.environment]) if {
	semver.is_valid(version)
	is_string(input.deployment.previous_version)
	semver.is_valid(_bare(input.deployment.previous_version))
	not input.deployment.rollback
	semver.compare(version, _bare(input.deployment.previous_version)) <= 0
}

violations contains lib.result(rego.metadata.chain(), message) if {
	applies
	some message in problems
}

passed contains lib.result(rego.metadata.chain(), sprintf("version %s is valid and increases", [version])) if {
	applies
	count(problems) == 0
}
