// Evidence store benchmark: append latency at 100, 10,000 and 100,000 existing records (the cost
// must stay flat) and verify throughput (target: at least 100,000 records per second).
// Large logs are built in seconds with `git fast-import` (one commit per record, the same layout
// an append writes) and, for the dir backend, by writing the files directly.
// Usage: npm run bench:evidence [-- --sizes 100,10000,100000 --appends 20]
import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { GitLocalStore } from '../src/evidence/backends/git-local.js'
import { DirStore } from '../src/evidence/backends/dir.js'
import { headFileBytes } from '../src/evidence/backends/layout.js'
import { changeId } from '../src/evidence/change-id.js'
import { idIndexPath, recordPath } from '../src/evidence/chain.js'
import type { RecordDraft } from '../src/evidence/record.js'
import { nextRecord, type Head, type RawEntry } from '../src/evidence/store.js'
import { verifyEntries, verifyStore } from '../src/evidence/verify.js'
import { defaultWorkers } from '../src/evidence/verify-pool.js'

const { values } = parseArgs({ options: { sizes: { type: 'string' }, appends: { type: 'string' }, child: { type: 'string' } } })
const sizes = (values.sizes ?? '100,10000,100000').split(',').map(Number)
const appends = Number(values.appends ?? 20)

function draft(n: number): RecordDraft {
  return {
    schema: 'change-gate/record/v1', kind: 'merge', stream: 'github.com/acme/app',
    recorded_at: '2026-03-01T10:00:00Z', change_id: changeId({ repository: 'acme/app', kind: 'merge', subject: n }),
    change_ts: '2026-03-01T09:59:00Z', changed_by: 'alice', approved_by: ['bob'], change_type: ['APPLICATION'],
    change_desc: `Change number ${n}: a realistic pull request title of some length`, affected_systems: ['app'],
    ticket_reference: [`ABC-${n}`], rollback_plan: 'Revert the feature flag and redeploy the previous image.',
    change_outcome: 'MERGED', repository: 'acme/app', pr: { number: n, url: `https://github.com/acme/app/pull/${n}` },
    base_sha: 'a'.repeat(40), head_sha: 'b'.repeat(40), merge_sha: 'c'.repeat(40), environment: null,
    decision: { verdict: 'allow', violations: [], exceptions: [] }, policy_digest: 'sha256:' + 'd'.repeat(64),
    input_digest: 'sha256:' + 'e'.repeat(64), run_url: `https://github.com/acme/app/actions/runs/${n}`, links: {}
  }
}

/** The first n records of a chain, as stored bytes. */
function chain(n: number): { entries: (RawEntry & { hash: string; changeId: string })[]; head: Head | null } {
  const entries: (RawEntry & { hash: string; changeId: string })[] = []
  let head: Head | null = null
  for (let i = 1; i <= n; i++) {
    const d = draft(i)
    const next = nextRecord(d, head)
    entries.push({ seq: i, bytes: next.bytes, hash: next.hash, changeId: d.change_id })
    head = { seq: i, hash: next.hash }
  }
  return { entries, head }
}

async function buildGitRepo(entries: (RawEntry & { hash: string; changeId: string })[]): Promise<string> {
  const repo = join(mkdtempSync(join(tmpdir(), 'cg-bench-git-')), 'repo.git')
  execFileSync('git', ['init', '-q', '--bare', repo])
  const data = (b: Buffer | string) => [Buffer.from(`data ${Buffer.byteLength(b)}\n`), Buffer.from(b), Buffer.from('\n')]
  // One import commit holding the whole log (fast-import rewriting a 1000-entry tree per commit
  // would take minutes at 100,000); every timed append then adds one commit, as in production.
  const last = entries[entries.length - 1]!
  const parts: Buffer[] = [Buffer.from('commit refs/heads/change-gate/evidence\ncommitter change-gate <cg@example.com> 1772000000 +0000\n'), ...data(`change-gate: import records 1..${last.seq}\n`)]
  for (const e of entries) {
    parts.push(Buffer.from(`M 100644 inline ${recordPath(e.seq)}\n`), ...data(e.bytes), Buffer.from(`M 100644 inline ${idIndexPath(e.changeId)}\n`), ...data(`${e.seq}\n`))
  }
  parts.push(Buffer.from('M 100644 inline HEAD.json\n'), ...data(headFileBytes({ seq: last.seq, hash: last.hash, stream: 'github.com/acme/app' })), Buffer.from('\n'))
  parts.push(Buffer.from('done\n'))
  execFileSync('git', ['-C', repo, 'fast-import', '--quiet', '--done'], { input: Buffer.concat(parts), maxBuffer: 1 << 30, stdio: ['pipe', 'inherit', 'inherit'] })
  return repo
}

function buildDir(entries: RawEntry[], head: Head | null): string {
  const root = mkdtempSync(join(tmpdir(), 'cg-bench-dir-'))
  for (const e of entries) {
    const p = join(root, recordPath(e.seq))
    mkdirSync(dirname(p), { recursive: true })
    writeFileSync(p, e.bytes)
    const id = join(root, idIndexPath((e as RawEntry & { changeId: string }).changeId))
    mkdirSync(dirname(id), { recursive: true })
    writeFileSync(id, `${e.seq}\n`)
  }
  if (head) writeFileSync(join(root, 'HEAD.json'), JSON.stringify(head) + '\n')
  return root
}

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b)
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!
  return `median ${q(0.5).toFixed(1)} ms, p90 ${q(0.9).toFixed(1)} ms`
}

async function timeAppends(store: { append(d: RecordDraft): Promise<unknown> }, from: number): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < appends; i++) {
    const t = performance.now()
    await store.append(draft(from + i))
    out.push(performance.now() - t)
  }
  return out
}

// Appends are timed in a fresh process per store, so the bench's own large heap (the records it
// built) does not add garbage-collection pauses to the figures.
if (values.child) {
  const [kind, path, from] = values.child.split(',') as [string, string, string]
  const store = kind === 'git' ? new GitLocalStore(path) : new DirStore(path)
  process.stdout.write(JSON.stringify(await timeAppends(store, Number(from))) + '\n')
  process.exit(0)
}

function timeInChild(kind: 'git' | 'dir', path: string, from: number): number[] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--appends', String(appends), '--child', `${kind},${path},${from}`], { encoding: 'utf8' })
  return JSON.parse(out) as number[]
}

console.log(`evidence benchmark: ${appends} appends per size, each size timed in a fresh process; node ${process.version}`)
let largest: { entries: RawEntry[]; repo: string } | null = null
for (const n of sizes) {
  let t = performance.now()
  const { entries, head } = chain(n)
  const tChain = performance.now() - t
  t = performance.now()
  const repo = await buildGitRepo(entries)
  const tGit = performance.now() - t
  const gitTimes = timeInChild('git', repo, n + 1)
  t = performance.now()
  const root = buildDir(entries, head)
  const tDir = performance.now() - t
  const dirTimes = timeInChild('dir', root, n + 1)
  console.log(`append at ${n.toLocaleString('en-US').padStart(7)} records: git-local ${stats(gitTimes)} | dir ${stats(dirTimes)}   (built in ${((tChain + tGit) / 1000).toFixed(1)} s + ${(tDir / 1000).toFixed(1)} s)`)
  rmSync(root, { recursive: true, force: true })
  if (!largest || n > largest.entries.length) {
    if (largest) rmSync(dirname(largest.repo), { recursive: true, force: true })
    largest = { entries, repo }
  } else rmSync(dirname(repo), { recursive: true, force: true })
}

if (largest) {
  const n = largest.entries.length
  // The verifier itself over stored bytes in memory (what every backend feeds it), in this thread
  // alone and with worker threads beside it (the default when the machine has more than one CPU).
  for (const workers of [...new Set([0, defaultWorkers() || 1])]) {
    const runs: number[] = []
    for (let i = 0; i < 3; i++) {
      const s = await verifyEntries(largest.entries, { workers })
      if (!s.ok) throw new Error(`verify failed: ${JSON.stringify(s.first_broken)}`)
      runs.push(s.records_per_second)
    }
    console.log(`verify (in memory, ${workers ? `this thread + ${workers} worker thread${workers > 1 ? 's' : ''}` : 'one thread'}), ${n.toLocaleString('en-US')} records: ${Math.max(...runs).toLocaleString('en-US')} records/s (best of 3; target >= 100,000)`)
  }
  const t = performance.now()
  const s = await verifyStore(new GitLocalStore(largest.repo))
  const secs = (performance.now() - t) / 1000
  console.log(`verify (git-local store, reading from git), ${s.records.toLocaleString('en-US')} records: ${Math.round(s.records / secs).toLocaleString('en-US')} records/s, ok=${s.ok}`)
}
if (largest) rmSync(dirname(largest.repo), { recursive: true, force: true })
