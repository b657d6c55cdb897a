package change_gate.rules.deploy.version_test

import data.change_gate.rules.deploy.version

_doc(v, prev) := {"kind": "deployment", "deployment": {"environment": "production", "version": v, "previous_version": prev, "rollback": false}}

_messages(doc) := {m |
	vs := version.violations with input as doc
	some v in vs
	m := v.message
}

test_increasing_version_passes if {
	count(version.violations) == 0 with input as _doc("v1.3.0", "1.2.9")
	count(version.passed) == 1 with input as _doc("v1.3.0", "1.2.9")
}

test_no_version_no_rule if {
	count(version.violations) == 0 with input as _doc(null, "1.2.0")
	count(version.passed) == 0 with input as _doc(null, "1.2.0")
}

test_same_version_denied if {
	_messages(_doc("1.2.0", "v1.2.0")) == {"version 1.2.0 does not increase over 1.2.0, last deployed to \"production\""}
}

test_lower_version_denied if {
	count(version.violations) == 1 with input as _doc("1.1.9", "1.2.0")
}

test_invalid_semver_denied if {
	_messages(_doc("1.2", null)) == {"version \"1.2\" is not a semantic version (MAJOR.MINOR.PATCH)"}
}

test_first_version_only_validated if {
	count(version.violations) == 0 with input as _doc("0.1.0", null)
}

test_prerelease_only_where_configured if {
	doc := _doc("2.0.0-rc.1", "1.2.0")
	count(version.violations) == 1 with input as doc
	count(version.violations) == 0 with input as doc with data.change_gate.config.deploy.version.allow_prerelease as ["production"]
}

test_build_metadata_is_not_a_prerelease if {
	count(version.violations) == 0 with input as _doc("1.3.0+build-7", "1.2.0")
}

test_rollback_may_lower_the_version if {
	doc := json.patch(_doc("1.1.0", "1.2.0"), [{"op": "replace", "path": "/deployment/rollback", "value": true}])
	count(version.violations) == 0 with input as doc
}
