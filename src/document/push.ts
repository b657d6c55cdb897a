/**
 * A push → the `direct_push` input document (DESIGN §2.3, §4). Pure: the caller has already read
 * every commit of the push and asked GitHub which merged pull request brought each one; whether a
 * commit without one is a violation is for the policies (rules/push) to say.
 */
import { documentEvent } from './event.js'
import { INPUT_SCHEMA_ID, type DocumentEvent, type DocumentRepository, type PushCommitFacts, type PushDocument, type PushIdentityFacts } from './types.js'

export interface PushFacts {
  repository: DocumentRepository
  ref: string
  before: string
  after: string
  forced: boolean
  pusher: string
  commits: Array<Omit<PushCommitFacts, 'co_authors'> & { co_authors?: PushIdentityFacts[] }>
  commits_complete: boolean
}

export interface PushBuildContext {
  now: Date
  event: Partial<DocumentEvent> & { name: string }
}

// `Co-authored-by: Name <email>` trailers, one per line (git's convention; case-insensitive key).
const TRAILER = /^co-authored-by:[ \t]*(.*?)[ \t]*<([^<>\s]+)>[ \t]*$/gim

/** The Co-authored-by trailers of a commit message, de-duplicated by email, without the commit's own author. */
export function coAuthorsOf(message: string, author?: PushIdentityFacts): PushIdentityFacts[] {
  const out: PushIdentityFacts[] = []
  for (const m of message.matchAll(TRAILER)) {
    const email = m[2]!.toLowerCase()
    if (email === author?.email || out.some((a) => a.email === email)) continue
    out.push({ login: null, email, name: m[1] ? m[1] : null })
  }
  return out
}

const copy = (id: PushIdentityFacts): PushIdentityFacts => ({ login: id.login, email: id.email, name: id.name })

export function buildPushDocument(facts: PushFacts, ctx: PushBuildContext): PushDocument {
  const branch = facts.ref.startsWith('refs/heads/') ? facts.ref.slice('refs/heads/'.length) : facts.ref
  return {
    schema: INPUT_SCHEMA_ID,
    kind: 'direct_push',
    now: ctx.now.toISOString(),
    repository: { ...facts.repository },
    event: documentEvent(ctx.event, ctx.event.sha ?? facts.after),
    push: {
      ref: facts.ref,
      branch,
      before: facts.before,
      after: facts.after,
      forced: facts.forced,
      pusher: facts.pusher,
      commits: facts.commits.map((c) => ({
        sha: c.sha,
        message: c.message,
        timestamp: c.timestamp,
        author: copy(c.author),
        committer: copy(c.committer),
        co_authors: (c.co_authors ?? coAuthorsOf(c.message, c.author)).map(copy),
        pull_request: c.pull_request ? { number: c.pull_request.number } : null
      })),
      commits_complete: facts.commits_complete
    }
  }
}
