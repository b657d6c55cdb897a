import { EXIT, UsageError, type Command } from '../command.js'
import { format, periodOf, parseCommandArgs, positiveInt, required } from '../args.js'
import { storeFromCli, readVerified } from '../store.js'
import { DEFAULT_SAMPLE_KINDS, drawSample } from '../../evidence/sample.js'
import { RECORD_KINDS, type RecordKind } from '../../evidence/record.js'

export const sampleCommand: Command = {
  name: 'sample',
  summary: 'Draw a reproducible random sample of changes, with what to check for each',
  usage: `Usage: change-gate sample --store URL --size N --seed S [--from DATE] [--to DATE] [--kind K,...] [--format text|json]

The population is every intact record of the given kinds (default: ${DEFAULT_SAMPLE_KINDS.join(', ')})
whose change_ts lies in the period. The same store, period, kinds, size and seed always give the
same sample: the draw is defined by SHA-256 of the seed, so it can be recomputed independently.
Each sampled change lists the audit checks: ticket, approval by someone other than the author,
tests, rollback plan, policy verdict, and that the deployed commit is the approved one.

Exit codes: 0 sample drawn, 1 the log failed verification, 2 usage or runtime error.`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      store: { type: 'string' },
      size: { type: 'string' },
      seed: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      kind: { type: 'string' },
      format: { type: 'string' }
    })
    const fmt = format(values.format, ['text', 'json'] as const)
    const size = positiveInt(values.size, 'size')
    const seed = required(values.seed, 'seed')
    const period = periodOf(values)
    const kinds = values.kind?.split(',').map((k) => k.trim()) as RecordKind[] | undefined
    for (const k of kinds ?? []) if (!RECORD_KINDS.includes(k)) throw new UsageError(`--kind '${k}' is not one of ${RECORD_KINDS.join(', ')}`)
    const store = storeFromCli(values.store, io)
    const { records, verify } = await readVerified(store, io)
    if (!verify.ok) {
      const f = verify.first_broken!
      io.stderr(`change-gate sample: the log is BROKEN at record ${f.seq} (${f.code}): ${f.message}. A sample of an altered log proves nothing; run 'change-gate verify'.\n`)
      return EXIT.FAIL
    }
    const result = drawSample(records, { size, seed, period, kinds })
    if (fmt === 'json') {
      io.stdout(JSON.stringify({ store: store.url, head_hash: verify.head_hash, ...result }, null, 2) + '\n')
      return EXIT.OK
    }
    const lines = [
      `Sample of ${result.size} from a population of ${result.population} (${result.kinds.join(', ')}; period ${result.period.from ?? 'start'} .. ${result.period.to ?? 'end'}; seed '${seed}')`,
      `Store ${store.url}, verified head ${verify.last_seq ?? 0}:${verify.head_hash ?? '-'}`,
      ''
    ]
    for (const s of result.sample) {
      lines.push(`#${s.seq} ${s.kind} ${s.change_ts} ${s.change_id}${s.pr_url ? ' ' + s.pr_url : ''}`)
      lines.push(`  author ${s.changed_by || '-'}; approved by ${s.approved_by.join(', ') || '-'}; ticket ${s.ticket_reference.join(', ') || '-'}`)
      for (const c of s.checks) lines.push(`  [${c.status === 'pass' ? 'PASS' : c.status === 'fail' ? 'FAIL' : 'CHECK'}] ${c.check}: ${c.detail}`)
      lines.push('')
    }
    if (result.size < size) lines.push(`(the population has only ${result.population} changes; all are listed)`)
    io.stdout(lines.join('\n') + '\n')
    return EXIT.OK
  }
}
