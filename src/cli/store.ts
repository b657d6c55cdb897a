/** The evidence store as the auditor commands open and read it: --store, --expect, progress. */
import { UsageError, type CliIO } from './command.js'
import { openStore } from '../evidence/factory.js'
import { loadVerified, type LoadedRecord } from '../evidence/load.js'
import type { EvidenceStore, Head } from '../evidence/store.js'
import type { VerifySummary } from '../evidence/verify.js'

/** Opens --store for a CLI command: GITHUB_TOKEN and GITHUB_API_URL for GitHub stores, paths from the cwd. */
export function storeFromCli(url: string | undefined, io: CliIO): EvidenceStore {
  if (!url) throw new UsageError('--store is required (e.g. --store git+file:///path/to/repo.git or --store dir:///path)')
  try {
    return openStore(url, { cwd: io.cwd, token: io.env.GITHUB_TOKEN, apiUrl: io.env.GITHUB_API_URL })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}

/** A progress callback that rewrites one stderr line on a terminal, and stays silent otherwise. */
export function progress(io: CliIO, label: string): { tick: (n: number) => void; done: () => void } {
  let shown = false
  return {
    tick: (n) => {
      if (!io.isTTY) return
      shown = true
      io.stderr(`\r${label} ${n.toLocaleString('en-US')} records...`)
    },
    done: () => {
      if (shown) io.stderr('\r\x1b[K')
    }
  }
}

/** Every record of the store, verified while read (a progress line on a terminal). */
export async function readVerified(store: EvidenceStore, io: CliIO, expect?: Head): Promise<{ records: LoadedRecord[]; verify: VerifySummary }> {
  const p = progress(io, 'read')
  const loaded = await loadVerified(store, { expect, onProgress: p.tick })
  p.done()
  return loaded
}

/** Parses --expect SEQ:HASH (a head kept from an earlier verify). */
export function parseExpect(value: string | undefined): Head | undefined {
  if (value === undefined) return undefined
  const m = /^(\d+):([0-9a-f]{64})$/.exec(value)
  if (!m) throw new UsageError(`--expect must be SEQ:HASH, e.g. 42:<64 hex digits> (the head printed by an earlier verify), not '${value}'`)
  return { seq: Number(m[1]), hash: m[2]! }
}
