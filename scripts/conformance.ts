/**
 * `npm run conformance -- [dir] [--known file] [--verbose] [--json]`: runs OPA's conformance cases
 * under `dir` (default: ../shared/opa-conformance/v1 next to the repository) and prints per-folder
 * results; the last line is exactly `conformance: N passed, M failed`. Exits 1 when a case fails
 * that `conformance/known-failures.yaml` does not list, 2 when the suite cannot be read.
 * `--json` prints the report as one JSON object instead (for the jest test, which runs this in a
 * child process so that a case that never finishes cannot hang the test run).
 */
import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatReport, loadCases, loadKnownFailures, runConformance } from '../src/rego/conformance.js'
import * as rego from '../src/rego/index.js'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)
let dir = resolve(repo, '..', 'shared', 'opa-conformance', 'v1')
let knownFile = join(repo, 'conformance', 'known-failures.yaml')
let verbose = false
let json = false
for (let i = 0; i < args.length; i++) {
  const a = args[i]
  if (a === '--known') knownFile = resolve(args[++i] ?? '')
  else if (a === '--verbose' || a === '-v') verbose = true
  else if (a === '--json') json = true
  else if (a.startsWith('-')) {
    console.error(`unknown option ${a}; usage: npm run conformance -- [dir] [--known file] [--verbose] [--json]`)
    process.exit(2)
  } else dir = resolve(a)
}
if (!existsSync(dir)) {
  console.error(`conformance folder ${dir} does not exist; pass the folder of OPA's conformance YAML files`)
  process.exit(2)
}
const known = loadKnownFailures(knownFile)
const cases = loadCases(dir)
const started = performance.now()
const report = runConformance(cases, rego, known)
process.exitCode = report.unexpected.length > 0 ? 1 : 0
if (json) {
  console.log(
    JSON.stringify({
      cases: cases.length,
      passed: report.passed,
      failed: report.failed,
      folders: report.folders.map((f) => ({ folder: f.folder, passed: f.passed, failed: f.failed })),
      unexpected: report.unexpected.map((r) => ({ id: r.case.id, reason: r.reason })),
      nowPassing: report.nowPassing
    })
  )
  process.exit()
}
for (const line of formatReport(report, known, verbose).slice(0, -1)) console.log(line)
console.error(`(${cases.length} cases in ${Math.round(performance.now() - started)} ms; known failures from ${knownFile})`)
console.log(`conformance: ${report.passed} passed, ${report.failed} failed`)
