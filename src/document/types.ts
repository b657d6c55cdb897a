/**
 * The policy input document, version 1 (DESIGN §4): a public contract that users write policies
 * against. Field names are snake_case; anything that can be truncated carries a `*_complete` flag so
 * a policy can fail closed. `schemas/input.v1.schema.json` describes the same shape.
 */
import type { PullRequestFacts } from '../github/facts.js'
import type { EventContext } from './event.js'

export const INPUT_SCHEMA_ID = 'change-gate/input/v1' as const

export type DocumentKind = 'pull_request' | 'merge' | 'direct_push' | 'retro_review' | 'deployment'

export const CHANGE_TYPES = ['DDL', 'PIPELINE', 'ACCESS', 'INFRASTRUCTURE', 'APPLICATION'] as const
export type ChangeType = (typeof CHANGE_TYPES)[number]

export type TicketSource = 'title' | 'branch' | 'body' | 'commits'

export interface Ticket {
  key: string
  source: TicketSource
}

export interface DocumentRepository {
  owner: string
  name: string
  full_name: string
  default_branch: string
}

export interface DocumentEvent {
  name: string
  action: string | null
  actor: string | null
  sha: string | null
  run_id: string | null
  run_url: string | null
}

export interface DocumentPullRequest extends PullRequestFacts {
  /** Markdown headings of the body, lower-cased → their content (HTML comments removed, trimmed). */
  sections: Record<string, string>
}

export interface DocumentChange {
  /** Sorted in CHANGE_TYPES order; APPLICATION for files no configured glob matched. */
  types: ChangeType[]
  paths_by_type: Partial<Record<ChangeType, string[]>>
  affected_systems: string[]
  tickets: Ticket[]
  /** The content of the configured rollback section, or null when the body has none. */
  rollback_plan: string | null
  /** How the types were decided (file contents are not part of the facts, so DDL is by path). */
  classification: { method: 'paths' }
}

export interface InputDocument {
  schema: typeof INPUT_SCHEMA_ID
  kind: DocumentKind
  /** RFC 3339; policies never read the clock, so a past decision can be replayed. */
  now: string
  repository: DocumentRepository
  event: DocumentEvent
  pull_request: DocumentPullRequest
  change: DocumentChange
}

/** What the caller knows about the run besides the GitHub facts. */
export interface BuildContext {
  kind: 'pull_request' | 'merge'
  now: Date
  event: EventContext
}

/** A git identity in a push document: login null when the commit identity has no linked account. */
export interface PushIdentityFacts {
  login: string | null
  /** Lower-cased. */
  email: string | null
  name: string | null
}

export interface PushCommitFacts {
  sha: string
  message: string
  timestamp: string
  author: PushIdentityFacts
  committer: PushIdentityFacts
  /** Co-authored-by trailers of the message (no account lookup: login null). */
  co_authors: PushIdentityFacts[]
  /** The merged pull request into the pushed branch that brought this commit; null when none did. */
  pull_request: { number: number } | null
}

/** The input document of a push to a protected branch (`kind: "direct_push"`, DESIGN §2.3). */
export interface PushDocument {
  schema: typeof INPUT_SCHEMA_ID
  kind: 'direct_push'
  now: string
  repository: DocumentRepository
  event: DocumentEvent
  push: {
    ref: string
    /** The branch name (ref without refs/heads/). */
    branch: string
    /** The branch's previous tip (40 zeros when the push created it). */
    before: string
    after: string
    forced: boolean
    pusher: string
    /** Every commit of the push, oldest first. */
    commits: PushCommitFacts[]
    /** False when the commit list could not be read in full (policies deny). */
    commits_complete: boolean
  }
}

/** The review a `retro_review` document judges: an approval given after a break-glass merge. */
export interface RetroReviewFacts {
  reviewer: { login: string; type: string }
  review_id: string
  submitted_at: string | null
  /** The change_id of the merge record whose exceptions the review would settle. */
  reviewed_change_id: string
}

/**
 * The input document of a retroactive review (`kind: "retro_review"`, DESIGN §2.6): the merged
 * pull request's current facts, shaped as for the PR gate, plus the review to judge.
 */
export interface RetroReviewDocument extends Omit<InputDocument, 'kind'> {
  kind: 'retro_review'
  retro_review: RetroReviewFacts
}
