import { EXIT, type Command } from '../command.js'
import { dateBound, format, periodOf, parseCommandArgs } from '../args.js'
import { storeFromCli, readVerified } from '../store.js'
import { buildReport } from '../../evidence/report.js'

export const reportCommand: Command = {
  name: 'report',
  summary: 'Summarise a period: changes by type, approval coverage, exceptions, overdue retro reviews',
  usage: `Usage: change-gate report --store URL [--from DATE] [--to DATE] [--now RFC3339] [--format text|json]

Counts the period's records by kind, change type and verdict; the share of merges approved by
someone other than the author; direct pushes; break-glass exceptions and whether their
retroactive review (a retro_review record whose links.reviewed names the exception's change_id)
was recorded; and the reviews that are overdue at --now (default: the current time).

Exit codes: 0 nothing overdue, 1 overdue retroactive reviews or a broken log, 2 usage or runtime error.`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      store: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      now: { type: 'string' },
      format: { type: 'string' }
    })
    const fmt = format(values.format, ['text', 'json'] as const)
    const period = periodOf(values)
    const now = dateBound(values.now, 'now', false) ?? new Date()
    const store = storeFromCli(values.store, io)
    const { records, verify } = await readVerified(store, io)
    const report = buildReport(records, period, now)
    const ok = verify.ok && report.overdue_reviews.length === 0
    if (fmt === 'json') {
      io.stdout(JSON.stringify({ store: store.url, verify: { ok: verify.ok, records: verify.records, head_hash: verify.head_hash, first_broken: verify.first_broken }, ...report }, null, 2) + '\n')
      return ok ? EXIT.OK : EXIT.FAIL
    }
    const count = (m: Record<string, number>) => Object.entries(m).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'
    const pct = report.approval.coverage === null ? 'n/a' : `${(report.approval.coverage * 100).toFixed(1)}%`
    const lines = [
      `Change report for ${store.url}: ${report.period.from ?? 'start'} .. ${report.period.to ?? 'end'}`,
      verify.ok ? `Log verified: ${verify.records} records, head ${verify.last_seq ?? 0}:${verify.head_hash ?? '-'}` : `LOG BROKEN at record ${verify.first_broken!.seq}: ${verify.first_broken!.message} (report covers the ${verify.records} intact records)`,
      '',
      `Records in period: ${report.records}`,
      `By kind:    ${count(report.by_kind)}`,
      `By type:    ${count(report.by_type)}`,
      `By verdict: ${count(report.by_verdict)}`,
      `Outcomes:   ${count(report.outcomes)}`,
      `Approval coverage: ${report.approval.independently_approved} of ${report.approval.merges} merges approved by someone other than the author (${pct})`,
      ...report.approval.unapproved.map((u) => `  not independently approved: record ${u.seq} ${u.pr_url ?? u.change_id}`),
      `Direct pushes: ${report.direct_pushes.length}`,
      ...report.direct_pushes.map((d) => `  record ${d.seq} ${d.head_sha ?? ''} by ${d.changed_by || '-'}`),
      `Exceptions (break glass): ${report.exceptions.length}, reviewed ${report.exceptions.filter((e) => e.reviewed).length}`,
      `Overdue retroactive reviews: ${report.overdue_reviews.length}`,
      ...report.overdue_reviews.map((o) => `  OVERDUE record ${o.seq} ${o.pr_url ?? o.change_id}: review was due ${o.review_due_at}`)
    ]
    io.stdout(lines.join('\n') + '\n')
    return ok ? EXIT.OK : EXIT.FAIL
  }
}
