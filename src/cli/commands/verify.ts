import { EXIT, type Command } from '../command.js'
import { format, parseCommandArgs } from '../args.js'
import { parseExpect, progress, storeFromCli } from '../store.js'
import { verifyStore } from '../../evidence/verify.js'

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Check the evidence log: dense seq, every hash, every link (exit 1 naming the first broken record)',
  usage: `Usage: change-gate verify --store URL [--expect SEQ:HASH] [--format text|json]

Reads every record and checks that seq is dense from 1, that each record is stored in canonical
form and matches the schema, that each prev_hash is the hash of the record before, and that the
store's head pointer names the last record. With --expect (a head printed by an earlier verify),
also proves the log still contains that head unchanged, which catches a rewritten history.

Exit codes: 0 intact, 1 broken (the first broken record is named), 2 usage or runtime error.`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      store: { type: 'string' },
      expect: { type: 'string' },
      format: { type: 'string' }
    })
    const fmt = format(values.format, ['text', 'json'] as const)
    const expect = parseExpect(values.expect)
    const store = storeFromCli(values.store, io)
    const p = progress(io, 'verified')
    const summary = await verifyStore(store, { expect, onProgress: p.tick })
    p.done()
    if (fmt === 'json') io.stdout(JSON.stringify(summary, null, 2) + '\n')
    else if (summary.ok) {
      io.stdout(`OK: ${summary.records} records verified in ${summary.store}` +
        (summary.records ? ` (seq 1..${summary.last_seq}, stream ${summary.stream})\nhead ${summary.last_seq}:${summary.head_hash}\n` : '\n') +
        (summary.records ? `Keep the head line: pass it as --expect next time to prove the history was not rewritten.\n` : ''))
    } else {
      const f = summary.first_broken!
      io.stdout(`BROKEN at record ${f.seq} (${f.code}): ${f.message}\n` +
        (summary.records ? `records 1..${summary.last_seq} are intact (last intact ${summary.last_seq}:${summary.head_hash})\n` : 'no record can be vouched for\n'))
    }
    return summary.ok ? EXIT.OK : EXIT.FAIL
  }
}
