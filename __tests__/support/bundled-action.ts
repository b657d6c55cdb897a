/**
 * The action as a runner runs it: built from src into a temporary dist/ (with policies/ beside it,
 * the action checkout's layout) and started as a separate process with GITHUB_EVENT_PATH,
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, INPUT_* and the API URLs at a GitHub stand-in.
 */
import { execFile, execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** The token every run passes as `INPUT_TOKEN` (tests check that it is masked). */
export const TOKEN = 'ghs_e2e'

export interface ActionRun {
  code: number
  /** stdout and stderr together, as a runner's log shows them. */
  stdout: string
  outputs: Record<string, string>
  summary: string
  /** Process start to exit. */
  ms: number
}

export interface RunOptions {
  event: string
  payload: unknown
  /** The stand-in's URL (REST; GraphQL at /graphql). */
  apiUrl: string
  /** More environment (GITHUB_RUN_ID, INPUT_MODE, ...), over the defaults. */
  env?: Record<string, string>
}

export interface BundledAction {
  /** The temporary folder: dist/index.js, dist/cli.js, policies/, one run-N/ per run. */
  dir: string
  run(options: RunOptions): Promise<ActionRun>
  remove(): void
}

/** GITHUB_OUTPUT as the runner reads it: `name<<delimiter\nvalue\ndelimiter`. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of text.matchAll(/^([^<\n]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) out[m[1]!] = m[3]!
  return out
}

export function buildBundledAction(prefix: string): BundledAction {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--outdir', join(dir, 'dist')], { cwd: ROOT, stdio: 'pipe' })
  symlinkSync(join(ROOT, 'policies'), join(dir, 'policies'))
  const bundle = join(dir, 'dist/index.js')
  let runs = 0
  return {
    dir,
    remove: () => rmSync(dir, { recursive: true, force: true }),
    async run(o) {
      const work = join(dir, `run-${++runs}`)
      mkdirSync(work)
      const files = { event: join(work, 'event.json'), output: join(work, 'output'), summary: join(work, 'summary.md') }
      writeFileSync(files.event, JSON.stringify(o.payload))
      writeFileSync(files.output, '')
      writeFileSync(files.summary, '')
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? dir,
        GITHUB_ACTIONS: 'true',
        GITHUB_EVENT_NAME: o.event,
        GITHUB_EVENT_PATH: files.event,
        GITHUB_OUTPUT: files.output,
        GITHUB_STEP_SUMMARY: files.summary,
        GITHUB_REPOSITORY: 'acme/api',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_WORKSPACE: work,
        GITHUB_API_URL: o.apiUrl,
        GITHUB_GRAPHQL_URL: `${o.apiUrl}/graphql`,
        CHANGE_GATE_RETRY_BASE_MS: '1',
        INPUT_TOKEN: TOKEN,
        'INPUT_FAIL-ON': 'deny',
        ...o.env
      }
      const started = performance.now()
      const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile(process.execPath, [bundle], { env, cwd: work, timeout: 90_000 }, (err, so, se) => {
          resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 99) : 0, stdout: so + se })
        })
      })
      return { code, stdout, ms: performance.now() - started, outputs: parseOutputs(readFileSync(files.output, 'utf8')), summary: readFileSync(files.summary, 'utf8') }
    }
  }
}
