/**
 * The GraphQL documents for a pull request's facts: ONE query for the whole PR (first 100 of every
 * connection), and follow-up queries for connections that have more pages. Validated in tests
 * against GitHub's published schema (@octokit/graphql-schema).
 */

const COMMIT_FIELDS = `commit {
  oid message authoredDate committedDate
  parents(first: 5) { nodes { oid } }
  author { name email user { login } }
  committer { name email user { login } }
  authors(first: 20) { totalCount nodes { name email user { login } } }
  signature { isValid }
}`

const FILE_FIELDS = 'path additions deletions changeType'

const REVIEW_FIELDS = `id state submittedAt authorAssociation authorCanPushToRepository
author { __typename login }
commit { oid }`

const CONTEXT_FIELDS = `__typename
... on CheckRun { name status conclusion completedAt isRequired(pullRequestNumber: $number)
  checkSuite { app { slug name } } }
... on StatusContext { context state createdAt isRequired(pullRequestNumber: $number) creator { login } }`

export const PULL_REQUEST_QUERY = `query PullRequestFacts($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) {
    nameWithOwner name owner { login } defaultBranchRef { name }
    pullRequest(number: $number) {
      number url title body isDraft state
      author { __typename login }
      baseRefName baseRefOid headRefName headRefOid
      merged mergedAt mergedBy { __typename login } mergeCommit { oid }
      labels(first: 100) { totalCount nodes { name } }
      commits(first: 100) { totalCount pageInfo { hasNextPage endCursor } nodes { ${COMMIT_FIELDS} } }
      files(first: 100) { totalCount pageInfo { hasNextPage endCursor } nodes { ${FILE_FIELDS} } }
      reviews(first: 100) { totalCount pageInfo { hasNextPage endCursor } nodes { ${REVIEW_FIELDS} } }
      latestOpinionatedReviews(first: 100) { totalCount nodes { ${REVIEW_FIELDS} } }
      reviewRequests(first: 100) { totalCount nodes { requestedReviewer { __typename ... on User { login } ... on Bot { login } ... on Team { slug } } } }
      statusCheckRollup {
        contexts(first: 100) { totalCount pageInfo { hasNextPage endCursor } nodes { ${CONTEXT_FIELDS} } }
      }
    }
  }
}`

/** Follow-up pages, one per connection. */
export const PAGE_QUERIES = {
  commits: `query PullRequestCommits($owner: String!, $repo: String!, $number: Int!, $after: String!) {
  repository(owner: $owner, name: $repo) { pullRequest(number: $number) {
    commits(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${COMMIT_FIELDS} } }
  } }
}`,
  files: `query PullRequestFiles($owner: String!, $repo: String!, $number: Int!, $after: String!) {
  repository(owner: $owner, name: $repo) { pullRequest(number: $number) {
    files(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${FILE_FIELDS} } }
  } }
}`,
  reviews: `query PullRequestReviews($owner: String!, $repo: String!, $number: Int!, $after: String!) {
  repository(owner: $owner, name: $repo) { pullRequest(number: $number) {
    reviews(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${REVIEW_FIELDS} } }
  } }
}`,
  contexts: `query PullRequestChecks($owner: String!, $repo: String!, $number: Int!, $after: String!) {
  repository(owner: $owner, name: $repo) { pullRequest(number: $number) {
    statusCheckRollup { contexts(first: 100, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${CONTEXT_FIELDS} } } }
  } }
}`
} as const

export type PagedConnection = keyof typeof PAGE_QUERIES

/** Follow-up pages fetched per connection before the facts are marked incomplete (fail closed). */
export const MAX_PAGES = 30
