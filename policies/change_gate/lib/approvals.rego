package change_gate.lib

# Who counts as a second approver (DESIGN §5). Shared by approval/second-approver and
# approval/data-owner. A reviewer qualifies when their latest opinionated review is APPROVED, they
# are a human, not the PR author, not any commit's author, committer or co-author, can push (when
# configured), and the approval was given on the head commit — or only merges of the base branch
# came after it (when configured). Dismissed reviews never appear in latest_reviews.

# Everyone who wrote the change and the author. The document lists the contributors (built from
# every commit); an input without that list falls back to the commits themselves.
contributors := lower_set(input.pull_request.contributors) | {lower(object.get(input.pull_request.author, "login", "ghost"))} if {
	is_array(input.pull_request.contributors)
} else := commit_identities | {lower(object.get(input.pull_request.author, "login", "ghost"))}

commit_identities contains lower(c.author.login) if {
	some c in input.pull_request.commits
	is_string(c.author.login)
}

commit_identities contains lower(c.committer.login) if {
	some c in input.pull_request.commits
	is_string(c.committer.login)
}

commit_identities contains lower(a.login) if {
	some c in input.pull_request.commits
	some a in c.co_authors
	is_string(a.login)
}

pr_commit_shas := {c.sha | some c in input.pull_request.commits}

# reviewer_problems lists why a review cannot count as an independent approval (empty: it can).
reviewer_problems(review) := {message |
	some kind in problem_kinds
	message := problem(review, kind)
}

problem_kinds := ["bot", "author", "contributor", "push", "stale"]

problem(review, "bot") := "is not a human account (bots never count)" if not review.reviewer.type == "User"

problem(review, "author") := "is the author of the pull request" if lower(review.reviewer.login) == lower(input.pull_request.author.login)

problem(review, "contributor") := "authored, committed or co-authored a commit of the pull request" if {
	lower(review.reviewer.login) != lower(input.pull_request.author.login)
	lower(review.reviewer.login) in contributors
}

problem(review, "push") := "cannot push to the repository" if {
	param("second_approver", "require_can_push") == true
	not review.can_push == true
}

problem(review, "stale") := stale_message(review) if not fresh(review)

stale_message(review) := sprintf("approved commit %s, but commits were pushed after it", [substring(review.commit_sha, 0, 7)]) if {
	is_string(review.commit_sha)
} else := "approved no known commit of the pull request"

# fresh: the approval was given on the head commit...
fresh(review) if review.commit_sha == input.pull_request.head.sha

# ...or every later commit merges the base branch in, and the config allows that.
fresh(review) if {
	param("second_approver", "allow_base_merges_after_approval") == true
	commits := input.pull_request.commits
	commits[count(commits) - 1].sha == input.pull_request.head.sha
	some i, c in commits
	c.sha == review.commit_sha
	every later in array.slice(commits, i + 1, count(commits)) {
		base_merge(later)
	}
}

# A merge commit whose other parents are not commits of the PR brings the base branch in, not new work.
base_merge(commit) if {
	commit.is_merge == true
	every parent in array.slice(commit.parents, 1, count(commit.parents)) {
		not parent in pr_commit_shas
	}
}

approvals := [r | some r in input.pull_request.latest_reviews; r.state == "APPROVED"]

# qualifying_approvers: lower-cased logins of the independent, fresh approvals.
qualifying_approvers := {lower(r.reviewer.login) | some r in approvals; count(reviewer_problems(r)) == 0}

# Approvals that do not count, with why (for messages and --explain).
rejected_approvals := [{"reviewer": r.reviewer.login, "problems": sort([p | some p in reviewer_problems(r)])} |
	some r in approvals
	count(reviewer_problems(r)) > 0
]

# Commit identities with no linked GitHub account (login null, email kept; DESIGN §4): their
# approvals cannot be told apart from anyone else's. GitHub's own committer address (web-flow
# merges and edits in the UI) is not a person and is left out.
github_committer := "noreply@github.com"

unlinked_emails contains lower(id.email) if {
	some c in input.pull_request.commits
	some id in array.concat([c.author, c.committer], object.get(c, "co_authors", []))
	not is_string(id.login)
	is_string(id.email)
	lower(id.email) != github_committer
}
