import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { EXIT, type Command } from '../command.js'
import { format, periodOf, parseCommandArgs } from '../args.js'
import { parseExpect, storeFromCli, readVerified } from '../store.js'
import { buildExport } from '../../evidence/export.js'

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export the change log as CSV or JSON with a manifest (rows, seq range, SHA-256)',
  usage: `Usage: change-gate export --store URL --format csv|json [--from DATE] [--to DATE] [--output FILE] [--expect SEQ:HASH]

Verifies the log, then writes the records whose change_ts lies in the period (dates are
YYYY-MM-DD or RFC 3339; a bare --to date includes that whole day, UTC). CSV columns start with
the CC8.1 change-log columns (change_id, change_ts, changed_by, approved_by, change_type,
change_desc, affected_systems, ticket_reference, rollback_plan, change_outcome); lists are joined
with '; '; cells that a spreadsheet would run as a formula are prefixed with an apostrophe.

The manifest (row count, first and last seq, SHA-256 of the export, verification result) is
printed as one JSON line: to stdout after writing --output FILE (and saved as FILE.manifest.json),
or to stderr, prefixed '# manifest ', when the export goes to stdout.

Exit codes: 0 exported, 1 the log failed verification (only records before the break exported),
2 usage or runtime error.`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      store: { type: 'string' },
      format: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      output: { type: 'string' },
      expect: { type: 'string' }
    })
    const fmt = format(values.format, ['csv', 'json'] as const)
    const period = periodOf(values)
    const expect = parseExpect(values.expect)
    const store = storeFromCli(values.store, io)
    const { records, verify } = await readVerified(store, io, expect)
    const { text, manifest } = buildExport(records, period, fmt, verify, new Date())
    const line = JSON.stringify(manifest)
    if (values.output) {
      const out = resolve(io.cwd, values.output)
      await writeFile(out, text)
      await writeFile(out + '.manifest.json', JSON.stringify(manifest, null, 2) + '\n')
      io.stdout(line + '\n')
    } else {
      io.stdout(text)
      io.stderr(`# manifest ${line}\n`)
    }
    if (!verify.ok) {
      const f = verify.first_broken!
      io.stderr(`change-gate export: the log is BROKEN at record ${f.seq} (${f.code}): ${f.message}. Only the ${verify.records} intact records before it were exported.\n`)
      return EXIT.FAIL
    }
    return EXIT.OK
  }
}
