import { createHash } from 'node:crypto'
import type { EvidenceRecord, RecordKind } from './record.js'
import { inPeriod, type LoadedRecord, type Period } from './load.js'

/** The kinds that make up the population of changes by default: what landed on a protected branch. */
export const DEFAULT_SAMPLE_KINDS: RecordKind[] = ['merge', 'direct_push']

/**
 * A reproducible random source: draw i is SHA-256("<seed>:<i>"), read as 32-bit words. Anyone can
 * recompute a sample from the seed, the population and this rule.
 */
export class SeededRandom {
  private counter = 0
  private words: number[] = []
  constructor(readonly seed: string) {}

  private word(): number {
    if (this.words.length === 0) {
      const d = createHash('sha256').update(`${this.seed}:${this.counter++}`).digest()
      for (let i = 0; i < 32; i += 4) this.words.push(d.readUInt32BE(i))
    }
    return this.words.shift()!
  }

  /** Uniform integer in [0, n), by rejection (no modulo bias). */
  int(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`cannot draw from ${n} items`)
    const limit = Math.floor(2 ** 32 / n) * n
    for (;;) {
      const w = this.word()
      if (w < limit) return w % n
    }
  }
}

export type CheckStatus = 'pass' | 'fail' | 'manual'

export interface SampleCheck {
  check: string
  status: CheckStatus
  detail: string
}

export interface SampledChange {
  seq: number
  change_id: string
  kind: RecordKind
  change_ts: string
  pr_url: string | null
  changed_by: string
  approved_by: string[]
  ticket_reference: string[]
  record_hash: string
  checks: SampleCheck[]
}

export interface SampleResult {
  seed: string
  method: string
  population: number
  size: number
  kinds: RecordKind[]
  period: { from: string | null; to: string | null }
  sample: SampledChange[]
}

const APPROVAL = 'approval by someone other than the author'

/**
 * The approval check of a `direct_push` record, read from the decision it recorded: a push is
 * recorded when a commit bypassed pull requests (push/no-pull-request) but also when a team rule
 * denied a push of merged-PR commits, and an exemption can let the policies allow a direct push.
 * Without a usable decision (older records, `error`) the push counts as unreviewed.
 */
function pushApproval(r: EvidenceRecord): SampleCheck {
  const d = r.decision
  const bypass = d?.violations.find((v) => v.code === 'push/no-pull-request')
  if (!d || d.verdict === 'error' || d.verdict === 'pending') {
    return { check: APPROVAL, status: 'fail', detail: `pushed directly to a protected branch without a reviewed pull request${d ? ` (the gate's decision was ${d.verdict})` : ''}` }
  }
  if (bypass) return { check: APPROVAL, status: 'fail', detail: bypass.message ?? 'pushed directly to a protected branch without a reviewed pull request' }
  if (d.verdict === 'allow') return { check: APPROVAL, status: 'manual', detail: 'pushed without a reviewed pull request, and the policies allowed it: confirm the exemption that allowed it is authorised' }
  return { check: APPROVAL, status: 'manual', detail: 'no push/no-pull-request violation recorded: the commits came through merged pull requests; confirm the approvals in their merge records' }
}

/** What an auditor checks for one sampled change, with what the record itself already shows. */
export function auditChecks(r: EvidenceRecord, hash: string): SampleCheck[] {
  const checks: SampleCheck[] = []
  checks.push({ check: 'record integrity', status: 'pass', detail: `record ${r.seq} is in the verified chain (record_hash ${hash})` })
  checks.push(r.ticket_reference.length
    ? { check: 'ticket', status: 'manual', detail: `open ${r.ticket_reference.join(', ')} and confirm it requests and authorises this change` }
    : { check: 'ticket', status: 'fail', detail: 'no ticket reference recorded' })
  const independent = r.approved_by.filter((a) => a !== r.changed_by)
  if (r.kind === 'direct_push') checks.push(pushApproval(r))
  else checks.push(independent.length
    ? { check: APPROVAL, status: 'pass', detail: `approved by ${independent.join(', ')}; author ${r.changed_by || '(unknown)'}` }
    : { check: APPROVAL, status: 'fail', detail: `no approval by anyone other than the author ${r.changed_by || '(unknown)'}` })
  const violations = r.decision?.violations ?? []
  const testViolation = violations.find((v) => v.code.startsWith('tests/'))
  checks.push(!r.decision
    ? { check: 'tests passed', status: 'manual', detail: 'no policy decision recorded; check the CI run' + (r.run_url ? ` ${r.run_url}` : '') }
    : testViolation
      ? { check: 'tests passed', status: 'fail', detail: testViolation.message ?? testViolation.code }
      : { check: 'tests passed', status: 'pass', detail: 'the gate found the required checks passing' + (r.run_url ? ` (run ${r.run_url})` : '') })
  checks.push(r.rollback_plan && r.rollback_plan.trim()
    ? { check: 'rollback plan', status: 'pass', detail: r.rollback_plan.length > 120 ? r.rollback_plan.slice(0, 117) + '...' : r.rollback_plan }
    : { check: 'rollback plan', status: 'manual', detail: 'none recorded; confirm the change type is exempt' })
  const exceptions = r.decision?.exceptions ?? []
  if (r.decision) {
    checks.push(r.decision.verdict === 'allow' && exceptions.length === 0
      ? { check: 'policy verdict', status: 'pass', detail: 'allow' }
      : exceptions.length
        ? { check: 'policy verdict', status: 'manual', detail: `break-glass exception (${exceptions.map((e) => e.code).join(', ')}): confirm the retroactive review` }
        : { check: 'policy verdict', status: 'fail', detail: `${r.decision.verdict}: ${violations.map((v) => v.code).join(', ') || 'no reason recorded'}` })
  }
  if (r.merge_sha) checks.push({ check: 'deployed what was approved', status: 'manual', detail: `confirm the deployment of ${r.merge_sha.slice(0, 12)} matches the approved head ${r.head_sha?.slice(0, 12) ?? '(none)'}` })
  return checks
}

export function drawSample(records: LoadedRecord[], options: { size: number; seed: string; period?: Period; kinds?: RecordKind[] }): SampleResult {
  const kinds = options.kinds ?? DEFAULT_SAMPLE_KINDS
  const period = options.period ?? {}
  const population = records.filter((r) => kinds.includes(r.record.kind) && inPeriod(r.record, period)).sort((a, b) => a.record.seq - b.record.seq)
  const rng = new SeededRandom(options.seed)
  const idx = population.map((_, i) => i)
  const size = Math.min(options.size, population.length)
  for (let i = 0; i < size; i++) {
    const j = i + rng.int(idx.length - i)
    ;[idx[i], idx[j]] = [idx[j]!, idx[i]!]
  }
  const chosen = idx.slice(0, size).sort((a, b) => a - b).map((i) => population[i]!)
  return {
    seed: options.seed,
    method: 'partial Fisher-Yates over the population in seq order; draw i = SHA-256("<seed>:<i>") as 32-bit words, rejection sampling',
    population: population.length,
    size,
    kinds,
    period: { from: period.from?.toISOString() ?? null, to: period.to?.toISOString() ?? null },
    sample: chosen.map(({ record: r, hash }) => ({
      seq: r.seq,
      change_id: r.change_id,
      kind: r.kind,
      change_ts: r.change_ts,
      pr_url: r.pr?.url ?? null,
      changed_by: r.changed_by,
      approved_by: r.approved_by,
      ticket_reference: r.ticket_reference,
      record_hash: hash,
      checks: auditChecks(r, hash)
    }))
  }
}
