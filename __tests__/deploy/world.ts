/**
 * A deploy-gate test world: a repository history served by the GitHub stand-in, and a real git
 * bare repository as the evidence store (git+file://), seeded with the merge records the PR gate
 * would have written.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from '../../src/evidence/factory.js'
import { deploymentRecord, mergeRecord, outcomeRecord } from '../../src/evidence/records.js'
import type { EvidenceStore } from '../../src/evidence/store.js'
import { createGitHubClient, type GitHubClient } from '../../src/github/client.js'
import { RepoHistory } from '../support/github-standin/deploy-repo.js'
import { startStandIn, type StandIn } from '../support/github-standin/server.js'

export interface World {
  history: RepoHistory
  store: EvidenceStore
  storeUrl: string
  standin: StandIn
  client: GitHubClient
  /** Appends the merge record the PR gate writes when PR `number` merges (verdict as given). */
  recordMerge(number: number, merge: { merge_sha: string; head_sha: string }, options?: { verdict?: 'allow' | 'deny'; approvers?: string[]; tickets?: string[]; exceptions?: boolean }): Promise<void>
  /** A PR merged with a compliant merge record. */
  mergeCompliant(number: number, title: string, options?: Parameters<RepoHistory['merge']>[2]): Promise<string>
  /** Records a deployment of `sha` to `environment` that the gate allowed, with its outcome. */
  recordDeployment(environment: string, sha: string, options?: { version?: string; outcome?: 'SUCCESS' | 'FAILED' | 'ROLLED_BACK' | null; run?: number; verdict?: 'allow' | 'deny' }): Promise<string>
  close(): Promise<void>
}

const REPO = 'acme/api'
let runs = 100

export async function createWorld(options: { config?: string } = {}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-deploy-'))
  const bare = join(dir, 'evidence.git')
  execFileSync('git', ['init', '--bare', '-q', bare])
  const storeUrl = `git+file://${bare}#change-gate/evidence`
  const store = openStore(storeUrl)
  const history = new RepoHistory(REPO)
  const standin = await startStandIn({ name: 'deploy', repository: { owner: 'acme', name: 'api' }, pull_request: { number: 1, title: 'unused', author: 'alice' }, ...(options.config !== undefined ? { config: options.config } : {}) }, { routes: history.routes(), repositoryFields: history.repositoryFields() })
  const client = createGitHubClient({ token: 't', apiUrl: standin.url, retries: 0, throttle: false })

  const world: World = {
    history,
    store,
    storeUrl,
    standin,
    client,
    async recordMerge(number, merge, options = {}) {
      const pull = history.pulls.find((p) => p.number === number)!
      const verdict = options.verdict ?? 'allow'
      const violation = { code: 'approval/second-approver', title: 'Second approver', message: 'no approval from a second person', control: 'CC8.1', severity: 'high', remediation: 'Ask a reviewer.' }
      const exception = { ...violation, message: 'break glass: no second approver yet' }
      await store.append(
        mergeRecord(
          {
            repository: { full_name: REPO },
            now: pull.merged_at!,
            pull_request: {
              number,
              url: `https://github.com/${REPO}/pull/${number}`,
              title: pull.title,
              author: { login: pull.author },
              base: { ref: 'main', sha: history.commits.get(merge.merge_sha)!.parents[0]! },
              head: { ref: `feature/${number}`, sha: merge.head_sha },
              merge_commit_sha: merge.merge_sha,
              merged_at: pull.merged_at,
              latest_reviews: (options.approvers ?? (verdict === 'allow' ? ['carol'] : [])).map((login) => ({ reviewer: { login }, state: 'APPROVED' }))
            },
            change: { types: ['APPLICATION'], tickets: (options.tickets ?? [`OPS-${number}`]).map((key) => ({ key })), rollback_plan: 'Revert the merge and redeploy.' }
          },
          verdict === 'allow' ? { allow: true, violations: [], exceptions: options.exceptions ? [exception] : [] } : { allow: false, violations: [violation] },
          { recordedAt: pull.merged_at! }
        )
      )
    },
    async mergeCompliant(number, title, options) {
      const m = history.merge(number, title, options)
      await world.recordMerge(number, m)
      return m.merge_sha
    },
    async recordDeployment(environment, sha, options = {}) {
      const run = options.run ?? runs++
      const verdict = options.verdict ?? 'allow'
      const res = await store.append(
        deploymentRecord(
          { repository: REPO, environment, sha, version: options.version ?? null, deployer: 'release-bot', started_at: history.now(), run_id: run },
          verdict === 'allow' ? { allow: true, violations: [] } : { allow: false, violations: [{ code: 'deploy/unreviewed-change', message: 'x' }] },
          { recordedAt: history.now() }
        )
      )
      const outcome = options.outcome === undefined ? 'SUCCESS' : options.outcome
      if (outcome) {
        await store.append(outcomeRecord({ repository: REPO, deployment_change_id: res.record.change_id, environment, sha, outcome, run_id: run, reported_by: 'release-bot', reported_at: history.now() }, { recordedAt: history.now() }))
      }
      return res.record.change_id
    },
    async close() {
      await standin.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return world
}
