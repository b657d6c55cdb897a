/**
 * Runs Rego unit tests as `opa test` does: every rule whose name starts with `test_` is
 * evaluated; it passes when its value is `true`, fails when it is false or undefined, and
 * errors when evaluation raises. Rules named `todo_test_*` are skipped (reported as such).
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { load as loadYaml } from 'js-yaml'
import { mergeInto } from '../engine/bundle.js'
import type { Location } from './ast.js'
import { RegoErrors } from './errors.js'
import { compileModules, parseModules } from './index.js'
import type { Value } from './value.js'

export interface TestSource {
  file: string
  source: string
}

export type TestOutcome = 'pass' | 'fail' | 'error'

export interface TestResult {
  /** `data.<package>.<rule>` */
  name: string
  file: string
  loc: Location
  outcome: TestOutcome
  durationMs: number
  /** For errors: what went wrong. For failures: the value when it was not undefined. */
  message?: string
  /** Lines printed by `print` during the test. */
  output: string[]
}

export interface TestReport {
  results: TestResult[]
  /** `todo_test_*` rules found (not run). */
  skipped: string[]
}

function errorMessage(err: unknown): string {
  if (err instanceof RegoErrors) return err.errors.map((e) => e.message).join('\n')
  if (err instanceof Error) return err.message
  return String(err)
}

/** Parses and compiles all sources (throws RegoErrors), then runs every test whose name matches `run`. */
export function runRegoTests(sources: TestSource[], opts: { run?: RegExp; data?: Value } = {}): TestReport {
  const policy = compileModules(parseModules(sources))
  const report: TestReport = { results: [], skipped: [] }
  for (const m of policy.modules) {
    for (const r of m.rules) {
      const head = r.head.ref[0]
      if (r.head.ref.length === 1 && head.type === 'var' && head.name.startsWith('todo_test_')) {
        const name = `data.${[...m.package, head.name].join('.')}`
        if (!report.skipped.includes(name)) report.skipped.push(name)
      }
    }
  }
  const seen = new Set<string>()
  for (const t of policy.tests()) {
    const name = `data.${[...t.pkg, t.name].join('.')}`
    if (seen.has(name) || (opts.run && !opts.run.test(name))) continue
    seen.add(name)
    const output: string[] = []
    const started = performance.now()
    const result: TestResult = { name, file: t.loc.file, loc: t.loc, outcome: 'pass', durationMs: 0, output }
    try {
      const value = policy.evalRef([...t.pkg, t.name], { ...(opts.data === undefined ? {} : { data: opts.data }), print: (line) => output.push(line) })
      if (value !== true) {
        result.outcome = 'fail'
        if (value !== undefined) result.message = `value is ${JSON.stringify(value)}, not true`
      }
    } catch (err) {
      result.outcome = 'error'
      result.message = errorMessage(err)
    }
    result.durationMs = performance.now() - started
    report.results.push(result)
  }
  return report
}

function duration(ms: number): string {
  return ms < 1 ? `${Math.round(ms * 1000)}µs` : ms < 1000 ? `${ms.toFixed(1)}ms` : `${(ms / 1000).toFixed(2)}s`
}

/**
 * The report as `opa test` prints it: failures and errors (every test with `verbose`), grouped
 * by file, then PASS/FAIL/ERROR counts.
 */
export function formatTestReport(report: TestReport, verbose: boolean): string {
  const lines: string[] = []
  const byFile = new Map<string, TestResult[]>()
  for (const r of report.results) {
    if (!verbose && r.outcome === 'pass') continue
    const list = byFile.get(r.file) ?? []
    list.push(r)
    byFile.set(r.file, list)
  }
  for (const [file, results] of byFile) {
    lines.push(`${file}:`)
    for (const r of results) {
      lines.push(`${r.name}: ${r.outcome.toUpperCase()} (${duration(r.durationMs)})`)
      if (r.message) for (const l of r.message.split('\n')) lines.push(`  ${l}`)
      if (r.output.length > 0 && (verbose || r.outcome !== 'pass')) {
        lines.push('', '  prints:')
        for (const l of r.output) lines.push(`    ${l}`)
        lines.push('')
      }
    }
    lines.push('')
  }
  if (verbose) for (const s of report.skipped) lines.push(`${s}: SKIPPED`)
  const total = report.results.length
  const count = (o: TestOutcome) => report.results.filter((r) => r.outcome === o).length
  lines.push('-'.repeat(80))
  if (count('pass') > 0) lines.push(`PASS: ${count('pass')}/${total}`)
  if (count('fail') > 0) lines.push(`FAIL: ${count('fail')}/${total}`)
  if (count('error') > 0) lines.push(`ERROR: ${count('error')}/${total}`)
  if (report.skipped.length > 0) lines.push(`SKIPPED: ${report.skipped.length}/${total + report.skipped.length}`)
  return lines.join('\n') + '\n'
}

const DATA_FILES = new Set(['data.json', 'data.yaml', 'data.yml'])

export interface CollectedFiles {
  sources: TestSource[]
  /** `data.json` / `data.yaml` files merged as `opa test` does: at their folder's path below the root given. */
  data: Record<string, unknown>
}

/**
 * Every `.rego` file under the given files and folders (sorted; hidden folders skipped), and the
 * data files beside them. Throws with the file name when a data file is not a JSON/YAML object.
 */
export async function collectRegoFiles(paths: string[]): Promise<CollectedFiles> {
  const files: string[] = []
  const data: Record<string, unknown> = {}
  async function walk(p: string, top: boolean, prefix: string[]): Promise<void> {
    const st = await stat(p)
    if (st.isDirectory()) {
      for (const e of (await readdir(p)).sort()) {
        if (e.startsWith('.') || e === 'node_modules') continue
        const child = join(p, e)
        await walk(child, false, (await stat(child)).isDirectory() ? [...prefix, e] : prefix)
      }
    } else if (DATA_FILES.has(basename(p))) {
      const text = await readFile(p, 'utf8')
      let doc: unknown
      try {
        doc = p.endsWith('.json') ? JSON.parse(text) : loadYaml(text)
      } catch (err) {
        throw new Error(`${p}: not valid ${p.endsWith('.json') ? 'JSON' : 'YAML'}: ${(err as Error).message}`)
      }
      try {
        mergeInto(data, prefix, doc)
      } catch (err) {
        throw new Error(`${p}: ${(err as Error).message}`)
      }
    } else if (top || p.endsWith('.rego')) {
      files.push(p)
    }
  }
  for (const p of paths) await walk(p, true, [])
  const sources = await Promise.all([...new Set(files)].map(async (file) => ({ file, source: await readFile(file, 'utf8') })))
  return { sources, data }
}
