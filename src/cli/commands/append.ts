import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { EXIT, UsageError, type Command } from '../command.js'
import { format, parseCommandArgs } from '../args.js'
import { storeFromCli } from '../store.js'
import { assertDraft } from '../../evidence/record.js'

export const appendCommand: Command = {
  name: 'append',
  summary: 'Append a change record (JSON file, validated first) to an evidence store',
  usage: `Usage: change-gate append --store URL [--format text|json] FILE

FILE is a change-gate/record/v1 record without seq and prev_hash (the store assigns them); use
'-' for standard input. It is validated against schemas/record.v1.schema.json before anything is
written. Appending a record whose change_id is already stored writes nothing and reports the
stored record, so a retried pipeline step is safe.

Exit codes: 0 appended or already present, 2 invalid record, usage or store error.`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { store: { type: 'string' }, format: { type: 'string' } }, { min: 1, max: 1 })
    const fmt = format(values.format, ['text', 'json'] as const)
    const file = positionals[0]!
    let text: string
    try {
      text = file === '-' ? await readStdin() : await readFile(resolve(io.cwd, file), 'utf8')
    } catch (err) {
      throw new UsageError(`cannot read ${file}: ${(err as Error).message}`)
    }
    let draft: unknown
    try {
      draft = JSON.parse(text)
    } catch (err) {
      throw new UsageError(`${file} is not JSON: ${(err as Error).message}`)
    }
    try {
      assertDraft(draft, file)
    } catch (err) {
      io.stderr(`change-gate append: ${(err as Error).message}\n`)
      return EXIT.ERROR
    }
    const store = storeFromCli(values.store, io)
    const result = await store.append(draft)
    const out = { created: result.created, seq: result.record.seq, change_id: result.record.change_id, record_hash: result.hash, store: store.url }
    if (fmt === 'json') io.stdout(JSON.stringify(out, null, 2) + '\n')
    else io.stdout(result.created
      ? `appended record ${out.seq} (${out.change_id}) to ${out.store}\nrecord_hash ${out.record_hash}\n`
      : `already recorded as record ${out.seq} (${out.change_id}); nothing appended\nrecord_hash ${out.record_hash}\n`)
    return EXIT.OK
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}
