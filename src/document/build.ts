/**
 * Facts + config + run context → the input document (DESIGN §4). Pure: no I/O, no clock (`now`
 * is passed in so a decision can be replayed).
 */
import type { Config } from '../config/types.js'
import type { GitHubPullRequestFacts, ReviewFacts } from '../github/facts.js'
import { affectedSystems, classify } from './classify.js'
import { documentEvent } from './event.js'
import { sections as sectionsOf } from './markdown.js'
import { extractTickets } from './tickets.js'
import { INPUT_SCHEMA_ID, type BuildContext, type InputDocument } from './types.js'

/**
 * The latest APPROVED or CHANGES_REQUESTED review per reviewer, from the full review list in
 * submission order. A DISMISSED review withdraws that reviewer's stance (GitHub rewrites a
 * dismissed review's state, so it never counts); COMMENTED reviews leave the stance unchanged.
 */
export function latestReviews(reviews: readonly ReviewFacts[]): ReviewFacts[] {
  const ordered = reviews.map((r, i) => ({ r, i })).sort((a, b) => {
    const ta = a.r.submitted_at ?? ''
    const tb = b.r.submitted_at ?? ''
    return ta < tb ? -1 : ta > tb ? 1 : a.i - b.i
  })
  const stance = new Map<string, ReviewFacts>()
  for (const { r } of ordered) {
    const who = r.reviewer.login.toLowerCase()
    if (r.state === 'APPROVED' || r.state === 'CHANGES_REQUESTED') stance.set(who, r)
    else if (r.state === 'DISMISSED') stance.delete(who)
  }
  return [...stance.values()].sort((a, b) => (a.reviewer.login < b.reviewer.login ? -1 : a.reviewer.login > b.reviewer.login ? 1 : 0))
}

function contributorsOf(facts: GitHubPullRequestFacts['pull_request']): string[] {
  const out = new Set<string>()
  for (const c of facts.commits) {
    for (const id of [c.author, c.committer, ...c.co_authors]) {
      if (id.login) out.add(id.login)
      else if (id.email) out.add(id.email)
    }
  }
  return [...out].sort()
}

function firstSection(sections: Record<string, string>, names: readonly string[]): string | null {
  for (const n of names) {
    const v = sections[n.toLowerCase()]
    if (v !== undefined) return v
  }
  return null
}

export function buildPullRequestDocument(facts: GitHubPullRequestFacts, config: Config, ctx: BuildContext): InputDocument {
  const pr = facts.pull_request
  const sections = sectionsOf(pr.body)
  const paths = pr.files.map((f) => f.path)
  const { types, paths_by_type } = classify(paths, config)
  // Every review of the PR is in `reviews` when it is complete; GitHub's own latest list is the fallback.
  const latest = pr.reviews_complete ? latestReviews(pr.reviews) : pr.latest_reviews
  return {
    schema: INPUT_SCHEMA_ID,
    kind: ctx.kind,
    now: ctx.now.toISOString(),
    repository: { ...facts.repository },
    event: documentEvent(ctx.event, ctx.event.sha ?? pr.head.sha),
    pull_request: {
      number: pr.number,
      url: pr.url,
      title: pr.title,
      body: pr.body,
      draft: pr.draft,
      labels: [...pr.labels],
      base: { ...pr.base },
      head: { ...pr.head },
      author: { ...pr.author },
      merged: pr.merged,
      merged_by: pr.merged_by ? { ...pr.merged_by } : null,
      merge_commit_sha: pr.merge_commit_sha,
      sections,
      commits: pr.commits.map((c) => ({ ...c, parents: [...c.parents], co_authors: c.co_authors.map((a) => ({ ...a })) })),
      commits_complete: pr.commits_complete,
      files: pr.files.map((f) => ({ ...f })),
      files_complete: pr.files_complete,
      reviews: pr.reviews.map((r) => ({ ...r, reviewer: { ...r.reviewer } })),
      reviews_complete: pr.reviews_complete,
      latest_reviews: latest.map((r) => ({ ...r, reviewer: { ...r.reviewer } })),
      review_requests: pr.review_requests.map((r) => ({ ...r })),
      contributors: contributorsOf(pr),
      checks: pr.checks.map((c) => ({ ...c })),
      checks_complete: pr.checks_complete
    },
    change: {
      types,
      paths_by_type,
      affected_systems: affectedSystems(paths, config, facts.repository.full_name),
      tickets: extractTickets({ title: pr.title, branch: pr.head.ref, body: pr.body, commits: pr.commits.map((c) => c.message) }, config.rules.ticket_reference),
      rollback_plan: firstSection(sections, config.rules.rollback_plan.sections),
      classification: { method: 'paths' }
    }
  }
}
