/** Builds the GraphQL root objects for a scenario; connection fields are functions of their args. */
import { type Scenario, type ScenarioUser, sha, userOf } from './scenario.js'

type Obj = Record<string, unknown>

/** A connection resolver honouring first/after the way GitHub does (cursor = index). */
export function connection<T>(items: T[], max = 100) {
  return (args: { first?: number; after?: string | null }) => {
    if (args.first === undefined || args.first > max) throw new Error(`Requesting ${args.first ?? 'no'} records exceeds the 'first' limit of ${max} records.`)
    const start = args.after ? Number(Buffer.from(args.after, 'base64').toString().split(':')[1]) + 1 : 0
    const slice = items.slice(start, start + args.first)
    const end = start + slice.length - 1
    return {
      totalCount: items.length,
      nodes: slice,
      pageInfo: { hasNextPage: end < items.length - 1, endCursor: slice.length ? Buffer.from(`cursor:${end}`).toString('base64') : null, hasPreviousPage: start > 0, startCursor: null }
    }
  }
}

function gitActor(u: ScenarioUser) {
  const email = u.email ?? (u.login ? `${u.login}@users.noreply.github.com` : 'unknown@example.com')
  return { name: u.login ?? email, email, user: u.login ? { login: u.login } : null }
}

export function buildModel(s: Scenario): { root: Obj; headSha: string; commitShas: string[] } {
  const owner = s.repository?.owner ?? 'acme'
  const name = s.repository?.name ?? 'api'
  const pr = s.pull_request
  const listed = s.commits ?? [{ message: `${pr.title}` }]
  const generated = Array.from({ length: s.generate_commits ?? 0 }, (_, i) => ({ message: `step ${i + 1}`, author: pr.author }))
  const all = [...generated, ...listed]
  const shas: string[] = []
  const commits = all.map((c, i) => {
    const oid = sha(`${s.name}:${i}`)
    const parents = [i === 0 ? sha(`${s.name}:base`) : shas[i - 1]!, ...('merge' in c && c.merge ? [sha(`${s.name}:base-later`)] : [])]
    shas.push(oid)
    const author = userOf('author' in c ? c.author : undefined, pr.author)
    const coAuthors = ('co_authors' in c ? (c.co_authors ?? []) : []).map((x) => userOf(x, ''))
    const trailers = coAuthors.map((x) => `Co-authored-by: ${x.login ?? x.email} <${gitActor(x).email}>`).join('\n')
    return {
      commit: {
        oid,
        message: trailers ? `${c.message}\n\n${trailers}` : c.message,
        authoredDate: '2026-11-20T10:00:00Z',
        committedDate: '2026-11-20T10:00:00Z',
        parents: connection(parents.map((p) => ({ oid: p }))),
        author: gitActor(author),
        committer: gitActor(userOf('committer' in c ? c.committer : undefined, author.login ?? 'web-flow')),
        authors: connection([gitActor(author), ...coAuthors.map(gitActor)]),
        signature: { __typename: 'GpgSignature', isValid: true }
      }
    }
  })
  const headSha = shas[shas.length - 1]!
  const pickCommit = (index?: number) => {
    if (index === undefined) return headSha
    return shas[index < 0 ? shas.length + index : index]!
  }
  const reviews = (s.reviews ?? []).map((r, i) => ({
    id: `R_${i}`,
    state: r.dismissed ? 'DISMISSED' : r.state,
    submittedAt: `2026-11-21T10:${String(i).padStart(2, '0')}:00Z`,
    authorAssociation: r.association ?? (r.bot ? 'NONE' : 'MEMBER'),
    authorCanPushToRepository: r.can_push ?? !r.bot,
    author: { __typename: r.bot ? 'Bot' : 'User', login: r.author },
    commit: { oid: pickCommit(r.commit) }
  }))
  const latest = new Map<string, (typeof reviews)[number]>()
  for (const r of reviews) {
    if (r.state === 'APPROVED' || r.state === 'CHANGES_REQUESTED') latest.set(r.author.login, r)
    // a dismissed latest opinion leaves the user without a counted stance
    if (r.state === 'DISMISSED') latest.delete(r.author.login)
  }
  const contexts = (s.checks ?? []).map((c) =>
    c.kind === 'status'
      ? { __typename: 'StatusContext', context: c.name, state: c.conclusion ?? 'PENDING', createdAt: '2026-11-21T11:00:00Z', isRequired: () => c.required ?? false, creator: { __typename: 'User', login: 'ci' } }
      : { __typename: 'CheckRun', name: c.name, status: c.status ?? 'COMPLETED', conclusion: c.conclusion === undefined ? 'SUCCESS' : c.conclusion, completedAt: (c.status ?? 'COMPLETED') === 'COMPLETED' ? '2026-11-21T11:00:00Z' : null, isRequired: () => c.required ?? false, checkSuite: { app: { slug: 'github-actions', name: 'GitHub Actions' } } }
  )
  const pullRequest = {
    number: pr.number,
    url: `https://github.com/${owner}/${name}/pull/${pr.number}`,
    title: pr.title,
    body: pr.body ?? '',
    isDraft: pr.draft ?? false,
    state: pr.merged ? 'MERGED' : 'OPEN',
    author: { __typename: 'User', login: pr.author },
    baseRefName: pr.base_ref ?? 'main',
    baseRefOid: sha(`${s.name}:base`),
    headRefName: pr.head_ref ?? 'feature/change',
    headRefOid: headSha,
    merged: pr.merged ?? false,
    mergedAt: null,
    mergedBy: null,
    mergeCommit: null,
    labels: connection((pr.labels ?? []).map((l) => ({ name: l }))),
    commits: connection(commits),
    files: connection((s.files ?? [{ path: 'src/app.ts' }]).map((f) => ({ path: f.path, changeType: f.status ?? 'MODIFIED', additions: f.additions ?? 10, deletions: f.deletions ?? 2 }))),
    reviews: connection(reviews),
    latestOpinionatedReviews: connection([...latest.values()]),
    reviewRequests: connection([]),
    statusCheckRollup: contexts.length ? { contexts: connection(contexts) } : null
  }
  const repository = {
    nameWithOwner: `${owner}/${name}`,
    name,
    owner: { __typename: 'Organization', login: owner },
    defaultBranchRef: { name: s.repository?.default_branch ?? 'main' },
    pullRequest: (args: { number: number }) => (args.number === pr.number ? pullRequest : null)
  }
  return { root: { repository: (args: { owner: string; name: string }) => (args.owner === owner && args.name === name ? repository : null) }, headSha, commitShas: shas }
}
