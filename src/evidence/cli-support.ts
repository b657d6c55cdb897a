import type { CliIO } from '../cli/command.js'
import { UsageError } from '../cli/command.js'
import { openStore } from './factory.js'
import type { EvidenceStore, Head } from './store.js'

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

/** Parses --expect SEQ:HASH (a head kept from an earlier verify). */
export function parseExpect(value: string | undefined): Head | undefined {
  if (value === undefined) return undefined
  const m = /^(\d+):([0-9a-f]{64})$/.exec(value)
  if (!m) throw new UsageError(`--expect must be SEQ:HASH, e.g. 42:<64 hex digits> (the head printed by an earlier verify), not '${value}'`)
  return { seq: Number(m[1]), hash: m[2]! }
}
