import { spawn } from 'node:child_process'

export class GitCommandError extends Error {
  constructor(readonly args: string[], readonly code: number | null, readonly stderr: string) {
    super(`git ${args.join(' ')} failed (exit ${code}): ${stderr.trim() || 'no message'}`)
    this.name = 'GitCommandError'
  }
}

/** Fixed identity and no user/system config, so results do not depend on the machine. */
const GIT_ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: 'change-gate',
  GIT_AUTHOR_EMAIL: 'change-gate@users.noreply.github.com',
  GIT_COMMITTER_NAME: 'change-gate',
  GIT_COMMITTER_EMAIL: 'change-gate@users.noreply.github.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0'
}

/**
 * Runs git with an argument array (never a shell), optionally feeding stdin, and returns stdout.
 * `okCodes` lists exit codes that are answers rather than failures (e.g. 1 for "not found").
 */
export function git(repo: string, args: string[], options: { input?: Buffer | string; okCodes?: number[] } = {}): Promise<{ stdout: Buffer; code: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['-C', repo, ...args], {
      env: { ...process.env, ...GIT_ENV },
      stdio: ['pipe', 'pipe', 'pipe']
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => out.push(c))
    child.stderr.on('data', (c: Buffer) => err.push(c))
    child.on('error', (e) => reject(new GitCommandError(args, null, `${e.message} (is git installed and on PATH?)`)))
    child.on('close', (code) => {
      const stdout = Buffer.concat(out)
      if (code === 0 || (code !== null && options.okCodes?.includes(code))) resolve({ stdout, code: code ?? 0 })
      else reject(new GitCommandError(args, code, Buffer.concat(err).toString('utf8')))
    })
    child.stdin.on('error', () => {
      /* git may exit before reading all input; the exit code tells what happened */
    })
    child.stdin.end(options.input ?? '')
  })
}

export interface BatchObject {
  /** What was asked for (e.g. "<commit>:HEAD.json"). */
  query: string
  sha: string
  type: string
  content: Buffer
}

/**
 * `git cat-file --batch` over a list of object names: one process for many reads.
 * Missing objects come back as null.
 */
export async function catFileBatch(repo: string, queries: string[]): Promise<(BatchObject | null)[]> {
  if (queries.length === 0) return []
  for (const q of queries) if (/[\n\r]/.test(q)) throw new Error(`object name contains a line break: ${JSON.stringify(q)}`)
  const { stdout } = await git(repo, ['cat-file', '--batch'], { input: queries.join('\n') + '\n' })
  const results: (BatchObject | null)[] = []
  let pos = 0
  for (const query of queries) {
    const nl = stdout.indexOf(0x0a, pos)
    if (nl < 0) throw new Error(`git cat-file --batch: output ended early (at ${query})`)
    const header = stdout.subarray(pos, nl).toString('utf8')
    pos = nl + 1
    if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
      results.push(null)
      continue
    }
    const m = /^([0-9a-f]{40,64}) (\w+) (\d+)$/.exec(header)
    if (!m) throw new Error(`git cat-file --batch: unexpected header '${header}'`)
    const size = Number(m[3])
    results.push({ query, sha: m[1]!, type: m[2]!, content: stdout.subarray(pos, pos + size) })
    pos += size + 1
  }
  return results
}

export interface TreeEntry {
  mode: string
  type: 'blob' | 'tree' | 'commit'
  sha: string
}

/** Parses a raw tree object (`<mode> <name>\0<binary id>`...). */
export function parseTree(content: Buffer, idLength: number): Map<string, TreeEntry> {
  const entries = new Map<string, TreeEntry>()
  let pos = 0
  while (pos < content.length) {
    const space = content.indexOf(0x20, pos)
    const nul = content.indexOf(0x00, space)
    const mode = content.subarray(pos, space).toString('ascii')
    const name = content.subarray(space + 1, nul).toString('utf8')
    const sha = content.subarray(nul + 1, nul + 1 + idLength).toString('hex')
    const type = mode.startsWith('4') ? 'tree' : mode === '160000' ? 'commit' : 'blob'
    entries.set(name, { mode: type === 'tree' ? '040000' : mode, type, sha })
    pos = nul + 1 + idLength
  }
  return entries
}

/**
 * Streams `git cat-file --batch` over many object ids from one process: the ids are written as
 * git reads them, and each object is yielded as soon as it has arrived, so memory stays bounded by
 * one pipe's worth of data however large the log is.
 */
export async function* catFileStream(repo: string, ids: string[]): AsyncIterable<{ id: string; content: Buffer } | { id: string; missing: true }> {
  if (ids.length === 0) return
  // --buffer: git writes through stdio buffers instead of flushing after every object (half the
  // system time through a pipe; all ids are written up front, so nothing waits on a flush).
  const child = spawn('git', ['-C', repo, 'cat-file', '--batch', '--buffer'], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
  child.stdin.on('error', () => {
    /* reported through the exit code */
  })
  void (async () => {
    const chunk = 2000
    for (let i = 0; i < ids.length; i += chunk) {
      if (!child.stdin.write(ids.slice(i, i + chunk).join('\n') + '\n')) await new Promise((r) => child.stdin.once('drain', r))
    }
    child.stdin.end()
  })()
  let buf: Buffer = Buffer.alloc(0)
  let next = 0
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk
      let pos = 0
      for (;;) {
        const nl = buf.indexOf(0x0a, pos)
        if (nl < 0) break
        const header = buf.subarray(pos, nl).toString('utf8')
        if (header.endsWith(' missing')) {
          yield { id: ids[next++]!, missing: true }
          pos = nl + 1
          continue
        }
        const size = Number(header.slice(header.lastIndexOf(' ') + 1))
        if (!Number.isSafeInteger(size)) throw new Error(`git cat-file --batch: unexpected header '${header}'`)
        if (buf.length < nl + 1 + size + 1) break
        yield { id: ids[next++]!, content: Buffer.from(buf.subarray(nl + 1, nl + 1 + size)) }
        pos = nl + 1 + size + 1
      }
      buf = pos >= buf.length ? Buffer.alloc(0) : buf.subarray(pos)
    }
  } finally {
    if (next < ids.length) child.kill()
  }
  const code = await exited
  if (next < ids.length) throw new GitCommandError(['cat-file', '--batch'], code, stderr || `output ended after ${next} of ${ids.length} objects`)
}
