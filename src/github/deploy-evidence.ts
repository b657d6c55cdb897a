/**
 * What the evidence store knows about deployments and merges, read once per deploy gate: the last
 * successful deployment of an environment, and the `merge` record of each pull request.
 * The log is verified while it is read: a damaged log cannot vouch for a release.
 */
import { loadVerified } from '../evidence/load.js'
import type { EvidenceRecord } from '../evidence/record.js'
import type { EvidenceStore } from '../evidence/store.js'

export class DeploymentFactsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'DeploymentFactsError'
  }
}

/** A deployment the environment ran successfully, as the evidence store recorded it. */
export interface RecordedDeployment {
  change_id: string
  sha: string
  version: string | null
  environment: string
  recorded_at: string
  /** seq of the SUCCESS outcome that made it the live one. */
  outcome_seq: number
}

export interface EvidenceIndex {
  /** The last deployment of `environment` that the gate allowed and whose latest outcome is SUCCESS. */
  lastSuccessfulDeployment(environment: string, exceptChangeId?: string): RecordedDeployment | null
  /** The latest `merge` record of a pull request, or null. */
  mergeRecordOf(prNumber: number): EvidenceRecord | null
  /** The `merge` record whose merge SHA is `sha` (squash and rebase merges), or null. */
  mergeRecordByMergeSha(sha: string): EvidenceRecord | null
  /** A deployment record by change_id. */
  deployment(changeId: string): EvidenceRecord | null
  /** Every deployment record of `environment` for `sha`, oldest first. */
  deploymentsOf(environment: string, sha: string): EvidenceRecord[]
  /** How many records were read. */
  readonly size: number
}

/** Builds the index from records in seq order. */
export function indexRecords(records: EvidenceRecord[], repository?: string): EvidenceIndex {
  const repo = repository?.toLowerCase()
  const mine = repo ? records.filter((r) => r.repository.toLowerCase() === repo) : records
  const deployments = new Map<string, EvidenceRecord>()
  const latestOutcome = new Map<string, EvidenceRecord>()
  const merges = new Map<number, EvidenceRecord>()
  const mergesBySha = new Map<string, EvidenceRecord>()
  for (const r of mine) {
    if (r.kind === 'deployment') deployments.set(r.change_id, r)
    else if (r.kind === 'outcome' && r.links.deployment) latestOutcome.set(r.links.deployment, r) // later seq wins: records are never updated
    else if (r.kind === 'merge' && r.pr) {
      merges.set(r.pr.number, r)
      if (r.merge_sha) mergesBySha.set(r.merge_sha, r)
    }
  }
  return {
    size: mine.length,
    lastSuccessfulDeployment(environment, exceptChangeId) {
      let best: RecordedDeployment | null = null
      for (const [id, outcome] of latestOutcome) {
        const d = deployments.get(id)
        if (!d || d.environment !== environment || id === exceptChangeId || !d.head_sha) continue
        if (outcome.change_outcome !== 'SUCCESS') continue
        // A release the gate denied is never a baseline, even if it shipped anyway: its changes
        // are then checked again in the next release instead of being laundered by it.
        if (d.decision?.verdict !== 'allow') continue
        // The outcome's seq orders finishes: the last release reported live is the one running.
        if (best && best.outcome_seq > outcome.seq) continue
        best = { change_id: id, sha: d.head_sha, version: d.links.version ?? null, environment, recorded_at: d.recorded_at, outcome_seq: outcome.seq }
      }
      return best
    },
    mergeRecordOf: (n) => merges.get(n) ?? null,
    mergeRecordByMergeSha: (sha) => mergesBySha.get(sha) ?? null,
    deployment: (id) => deployments.get(id) ?? null,
    deploymentsOf: (environment, sha) => [...deployments.values()].filter((d) => d.environment === environment && d.head_sha === sha)
  }
}

/** Reads and verifies the whole store, then indexes it. A broken log is an error (fail closed). */
export async function readEvidenceIndex(store: EvidenceStore, repository?: string): Promise<EvidenceIndex> {
  let loaded
  try {
    loaded = await loadVerified(store)
  } catch (err) {
    throw new DeploymentFactsError(`cannot read the evidence store ${store.url}: ${(err as Error).message}`, { cause: err })
  }
  const { records, verify } = loaded
  if (!verify.ok) {
    const where = verify.first_broken ? ` at seq ${verify.first_broken.seq} (${verify.first_broken.code}: ${verify.first_broken.message})` : ''
    throw new DeploymentFactsError(
      `the evidence store ${store.url} failed verification${where}: its merge and deployment records cannot vouch for a release. ` +
        "Run 'change-gate verify --store URL' to see the damage and restore the log before deploying."
    )
  }
  return indexRecords(records.map((r) => r.record), repository)
}
