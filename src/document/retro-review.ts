/**
 * A merged pull request's current facts + an approval given after its merge → the `retro_review`
 * input document (DESIGN §2.6). Pure. Whether the reviewer qualifies is for the policies
 * (rules/retro_review) to say, with the same checks as a second approver.
 */
import type { Config } from '../config/types.js'
import type { GitHubPullRequestFacts } from '../github/facts.js'
import { buildPullRequestDocument } from './build.js'
import type { BuildContext, RetroReviewDocument, RetroReviewFacts } from './types.js'

export function buildRetroReviewDocument(facts: GitHubPullRequestFacts, config: Config, ctx: Omit<BuildContext, 'kind'>, review: RetroReviewFacts): RetroReviewDocument {
  const doc = buildPullRequestDocument(facts, config, { ...ctx, kind: 'merge' })
  return {
    ...doc,
    kind: 'retro_review',
    retro_review: { reviewer: { ...review.reviewer }, review_id: review.review_id, submitted_at: review.submitted_at, reviewed_change_id: review.reviewed_change_id }
  }
}
