import { createHash } from 'node:crypto'
import { canonicalize } from './canonical.js'
import { CHANGE_LOG_COLUMNS, type EvidenceRecord } from './record.js'
import type { LoadedRecord, Period } from './load.js'
import type { VerifySummary } from './verify.js'

/** Every CSV column: the CC8.1 change-log columns first, then the rest of the record. */
export const CSV_COLUMNS = [
  ...CHANGE_LOG_COLUMNS,
  'kind', 'stream', 'seq', 'recorded_at', 'repository', 'pr_number', 'pr_url', 'base_sha', 'head_sha',
  'merge_sha', 'environment', 'verdict', 'violations', 'exceptions', 'policy_digest', 'input_digest',
  'run_url', 'review_due_at', 'links', 'record_hash', 'prev_hash'
] as const

function cellValues(r: EvidenceRecord, hash: string): Record<(typeof CSV_COLUMNS)[number], string> {
  const list = (xs: string[]) => xs.join('; ')
  return {
    change_id: r.change_id,
    change_ts: r.change_ts,
    changed_by: r.changed_by,
    approved_by: list(r.approved_by),
    change_type: list(r.change_type),
    change_desc: r.change_desc,
    affected_systems: list(r.affected_systems),
    ticket_reference: list(r.ticket_reference),
    rollback_plan: r.rollback_plan ?? '',
    change_outcome: r.change_outcome ?? '',
    kind: r.kind,
    stream: r.stream,
    seq: String(r.seq),
    recorded_at: r.recorded_at,
    repository: r.repository,
    pr_number: r.pr ? String(r.pr.number) : '',
    pr_url: r.pr?.url ?? '',
    base_sha: r.base_sha ?? '',
    head_sha: r.head_sha ?? '',
    merge_sha: r.merge_sha ?? '',
    environment: r.environment ?? '',
    verdict: r.decision?.verdict ?? '',
    violations: list((r.decision?.violations ?? []).map((v) => v.code)),
    exceptions: list((r.decision?.exceptions ?? []).map((v) => v.code)),
    policy_digest: r.policy_digest ?? '',
    input_digest: r.input_digest ?? '',
    run_url: r.run_url ?? '',
    review_due_at: r.review_due_at ?? '',
    links: Object.entries(r.links).map(([k, v]) => `${k}=${v}`).join('; '),
    record_hash: hash,
    prev_hash: r.prev_hash
  }
}

/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, comma, CR or LF, quotes doubled. A cell
 * a spreadsheet would run as a formula (starting with = + - @, or a tab or CR) gets a leading
 * apostrophe, so text from pull requests cannot become a formula on an auditor's machine.
 */
export function csvCell(value: string): string {
  let v = value
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

export function toCsv(records: LoadedRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')]
  for (const { record, hash } of records) {
    const cells = cellValues(record, hash)
    lines.push(CSV_COLUMNS.map((c) => csvCell(cells[c])).join(','))
  }
  return lines.join('\r\n') + '\r\n'
}

/** JSON export: an array of the records, one canonical record per line. */
export function toJson(records: LoadedRecord[]): string {
  if (records.length === 0) return '[]\n'
  return '[\n' + records.map((r) => canonicalize(r.record)).join(',\n') + '\n]\n'
}

export interface ExportManifest {
  manifest: 'change-gate/export/v1'
  store: string
  format: 'csv' | 'json'
  period: { from: string | null; to: string | null; field: 'change_ts' }
  rows: number
  first_seq: number | null
  last_seq: number | null
  sha256: string
  generated_at: string
  verify: { ok: boolean; records: number; head_hash: string | null; first_broken: VerifySummary['first_broken'] }
}

export function buildExport(
  records: LoadedRecord[],
  period: Period,
  fmt: 'csv' | 'json',
  verify: VerifySummary,
  now: Date
): { text: string; manifest: ExportManifest } {
  const rows = records.filter((r) => {
    const t = Date.parse(r.record.change_ts)
    return (!period.from || t >= period.from.getTime()) && (!period.to || t <= period.to.getTime())
  })
  const text = fmt === 'csv' ? toCsv(rows) : toJson(rows)
  return {
    text,
    manifest: {
      manifest: 'change-gate/export/v1',
      store: verify.store,
      format: fmt,
      period: { from: period.from?.toISOString() ?? null, to: period.to?.toISOString() ?? null, field: 'change_ts' },
      rows: rows.length,
      first_seq: rows.length ? rows[0]!.record.seq : null,
      last_seq: rows.length ? rows[rows.length - 1]!.record.seq : null,
      sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
      generated_at: now.toISOString(),
      verify: { ok: verify.ok, records: verify.records, head_hash: verify.head_hash, first_broken: verify.first_broken }
    }
  }
}
