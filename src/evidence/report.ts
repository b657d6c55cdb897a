import type { EvidenceRecord } from './record.js'
import { inPeriod, type LoadedRecord, type Period } from './load.js'

export interface OverdueReview {
  seq: number
  change_id: string
  pr_url: string | null
  review_due_at: string
  exceptions: string[]
}

export interface ChangeReport {
  period: { from: string | null; to: string | null }
  now: string
  records: number
  by_kind: Record<string, number>
  by_type: Record<string, number>
  by_verdict: Record<string, number>
  approval: { merges: number; independently_approved: number; coverage: number | null; unapproved: { seq: number; change_id: string; pr_url: string | null }[] }
  direct_pushes: { seq: number; change_id: string; head_sha: string | null; changed_by: string }[]
  exceptions: { seq: number; change_id: string; kind: string; codes: string[]; review_due_at: string | null; reviewed: boolean }[]
  overdue_reviews: OverdueReview[]
  outcomes: Record<string, number>
}

function bump(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1
}

function hasException(r: EvidenceRecord): boolean {
  return r.kind === 'exception' || (r.decision?.exceptions.length ?? 0) > 0
}

/**
 * The period's summary for an auditor: changes by kind and type, how many merges were approved by
 * someone other than the author, direct pushes, break-glass exceptions and the retroactive
 * reviews that are overdue (due before `now` with no retro_review record linking to them).
 * A retro_review record names what it reviews in links.reviewed (a change_id).
 */
export function buildReport(all: LoadedRecord[], period: Period, now: Date): ChangeReport {
  const records = all.map((r) => r.record).filter((r) => inPeriod(r, period))
  const reviewed = new Set(all.map((r) => r.record).filter((r) => r.kind === 'retro_review' && r.links.reviewed).map((r) => r.links.reviewed!))
  const report: ChangeReport = {
    period: { from: period.from?.toISOString() ?? null, to: period.to?.toISOString() ?? null },
    now: now.toISOString(),
    records: records.length,
    by_kind: {},
    by_type: {},
    by_verdict: {},
    approval: { merges: 0, independently_approved: 0, coverage: null, unapproved: [] },
    direct_pushes: [],
    exceptions: [],
    overdue_reviews: [],
    outcomes: {}
  }
  for (const r of records) {
    bump(report.by_kind, r.kind)
    if (r.kind === 'merge' || r.kind === 'direct_push') for (const t of r.change_type.length ? r.change_type : ['UNCLASSIFIED']) bump(report.by_type, t)
    if (r.decision) bump(report.by_verdict, r.decision.verdict)
    if (r.kind === 'outcome' && r.change_outcome) bump(report.outcomes, r.change_outcome)
    if (r.kind === 'merge') {
      report.approval.merges++
      if (r.approved_by.some((a) => a !== r.changed_by)) report.approval.independently_approved++
      else report.approval.unapproved.push({ seq: r.seq, change_id: r.change_id, pr_url: r.pr?.url ?? null })
    }
    if (r.kind === 'direct_push') report.direct_pushes.push({ seq: r.seq, change_id: r.change_id, head_sha: r.head_sha, changed_by: r.changed_by })
    if (hasException(r)) {
      const isReviewed = reviewed.has(r.change_id)
      report.exceptions.push({
        seq: r.seq,
        change_id: r.change_id,
        kind: r.kind,
        codes: (r.decision?.exceptions ?? []).map((e) => e.code),
        review_due_at: r.review_due_at ?? null,
        reviewed: isReviewed
      })
      if (!isReviewed && r.review_due_at && Date.parse(r.review_due_at) < now.getTime()) {
        report.overdue_reviews.push({ seq: r.seq, change_id: r.change_id, pr_url: r.pr?.url ?? null, review_due_at: r.review_due_at, exceptions: (r.decision?.exceptions ?? []).map((e) => e.code) })
      }
    }
  }
  const m = report.approval.merges
  report.approval.coverage = m ? Math.round((report.approval.independently_approved / m) * 10000) / 10000 : null
  return report
}
