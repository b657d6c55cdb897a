package change_gate.lib

# Break glass (DESIGN §2.6): the configured label plus a written justification section turns the
# pull request's denials into recorded exceptions; a retroactive review is then due.

break_glass_declared if {
	input.kind in pr_kinds
	setting(["break_glass", "enabled"]) == true
	lower(setting(["break_glass", "label"])) in lower_set(input.pull_request.labels)
}

justification := text if {
	texts := [t |
		some name in setting(["break_glass", "justification_sections"])
		t := input.pull_request.sections[lower(name)]
	]
	text := texts[0]
}

break_glass_justified if alnum_length(justification) >= setting(["break_glass", "min_length"])

break_glass_active if {
	break_glass_declared
	break_glass_justified
}
