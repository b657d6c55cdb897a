/**
 * Benchmark of the PR gate: time from start to a published verdict with the GitHub stand-in
 * answering at once (so the figures exclude the network), the API round trips per PR, and the size
 * of the bundles. `npm run bench:action`. Everything is the real code: event plan, GraphQL facts
 * (real schema execution in the stand-in), config read, input document, the embedded Rego engine
 * over the built-in policies, publishing.
 *
 * 1. The bundled action as a runner starts it: `node dist/index.js` in a fresh process, from spawn
 *    to the commit status arriving at the stand-in (Node start, bundle load, policy compile included).
 * 2. In process: a fresh gate per run (policies compiled each time) and a warm one (engine loaded).
 */
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { createDecide } from '../src/action/decide.js'
import { runGate, type Decide } from '../src/action/gate.js'
import { parseInputs } from '../src/action/inputs.js'
import type { RunnerIO } from '../src/action/ports.js'
import { builtinPoliciesDir } from '../src/engine/builtin-policies.js'
import { loadRegoEngine } from '../src/engine/rego.js'
import { createGitHubClient, type GitHubClient } from '../src/github/client.js'
import { loadScenario, type Scenario } from '../__tests__/support/github-standin/scenario.js'
import { startStandIn, type StandIn } from '../__tests__/support/github-standin/server.js'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const quiet: RunnerIO = { debug() {}, info() {}, warning() {}, error() {}, group: (_n, fn) => fn(), setOutput() {}, writeSummary: async () => {}, setFailed() {} }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const scenarioOf = (name: string) => loadScenario(join(ROOT, `__fixtures__/scenarios/${name}.yml`))
const payloadOf = (s: Scenario, head: string) => ({ action: 'synchronize', repository: { full_name: 'acme/api' }, pull_request: { number: s.pull_request.number, head: { sha: head } } })

function realDecide(client: GitHubClient): Decide {
  return createDecide({ client, loadRego: loadRegoEngine, builtinDir: builtinPoliciesDir(), customPoliciesPath: '', bundle: '', workspace: ROOT, configPath: '.github/change-gate.yml', statusContext: 'change-gate' })
}

async function inProcess(name: string, runs: number, warm: boolean): Promise<{ median: number; trips: string; verdict: string }> {
  const s = scenarioOf(name)
  const standin = await startStandIn(s)
  const times: number[] = []
  let trips = ''
  let verdict = ''
  try {
    const sharedClient = createGitHubClient({ token: 't', apiUrl: standin.url, retries: 0 })
    const shared = realDecide(sharedClient)
    if (warm) await runGate({ client: sharedClient, io: quiet, inputs: parseInputs((n) => (n === 'token' ? 't' : '')), decide: shared }, { eventName: 'pull_request', payload: payloadOf(s, standin.headSha), now: new Date() })
    for (let i = 0; i < runs; i++) {
      // The REST write limiter is per process; a runner starts a fresh process per job, so let the
      // previous run's 1 s write spacing lapse (untimed) instead of measuring it.
      await new Promise((r) => setTimeout(r, 1100))
      const before = standin.calls.length
      const t0 = performance.now()
      const client = warm ? sharedClient : createGitHubClient({ token: 't', apiUrl: standin.url, retries: 0 })
      const inputs = parseInputs((n) => (n === 'token' ? 't' : ''))
      const res = await runGate({ client, io: quiet, inputs, decide: warm ? shared : realDecide(client) }, { eventName: 'pull_request', payload: payloadOf(s, standin.headSha), now: new Date() })
      times.push(performance.now() - t0)
      verdict = res.decisions[0]!.decision.decision
      const calls = standin.calls.slice(before)
      trips = `${calls.filter((c) => c.operation).length} GraphQL + ${calls.filter((c) => !c.operation).length} REST`
    }
  } finally {
    await standin.close()
  }
  return { median: median(times), trips, verdict }
}

/** Spawn → the status POST arriving at the stand-in, for the bundled action in a fresh process. */
async function asProcess(bundle: string, name: string, runs: number): Promise<{ median: number; exit: number; phases: string }> {
  const s = scenarioOf(name)
  const times: number[] = []
  const exits: number[] = []
  const phases = new Map<string, number[]>()
  for (let i = 0; i < runs; i++) {
    const standin: StandIn = await startStandIn(s)
    const dir = mkdtempSync(join(tmpdir(), 'cg-bench-run-'))
    try {
      writeFileSync(join(dir, 'event.json'), JSON.stringify(payloadOf(s, standin.headSha)))
      writeFileSync(join(dir, 'out'), '')
      writeFileSync(join(dir, 'summary'), '')
      const env = { PATH: process.env.PATH ?? '', GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: join(dir, 'event.json'), GITHUB_OUTPUT: join(dir, 'out'), GITHUB_STEP_SUMMARY: join(dir, 'summary'), GITHUB_REPOSITORY: 'acme/api', GITHUB_RUN_ID: '1', GITHUB_API_URL: standin.url, GITHUB_GRAPHQL_URL: `${standin.url}/graphql`, INPUT_TOKEN: 't' }
      const t0 = performance.now()
      let verdictAt = 0
      const poll = setInterval(() => {
        if (!verdictAt && standin.statuses.length) verdictAt = performance.now()
      }, 1)
      const [t1, stdout] = await new Promise<[number, string]>((resolve) => execFile(process.execPath, [bundle], { env, cwd: dir }, (_e, so) => resolve([performance.now(), so])))
      clearInterval(poll)
      // The action logs `timing #N: facts 12 ms, config 2 ms, …` (src/action/gate.ts).
      for (const m of (/^timing #\d+: (.*)$/m.exec(stdout)?.[1] ?? '').matchAll(/([a-z ]+) (\d+) ms/g)) {
        const key = m[1]!.trim()
        phases.set(key, [...(phases.get(key) ?? []), Number(m[2])])
      }
      times.push((verdictAt || t1) - t0)
      exits.push(t1 - t0)
    } finally {
      await standin.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return { median: median(times), exit: median(exits), phases: [...phases].map(([k, v]) => `${k} ${median(v)} ms`).join(', ') }
}

const out = mkdtempSync(join(tmpdir(), 'cg-bench-dist-'))
try {
  mkdirSync(join(out, 'dist'))
  symlinkSync(join(ROOT, 'policies'), join(out, 'policies'))
  const sizes: Record<string, number> = {}
  for (const [entry, file] of [['src/index.ts', 'index.js'], ['src/cli/bin.ts', 'cli.js']] as const) {
    await build({ entryPoints: [join(ROOT, entry)], outfile: join(out, 'dist', file), bundle: true, platform: 'node', target: 'node20', format: 'esm', minify: true, logLevel: 'silent', banner: { js: "import { createRequire as __cgCreateRequire } from 'node:module'; const require = __cgCreateRequire(import.meta.url);" } })
    sizes[file] = statSync(join(out, 'dist', file)).size
  }
  for (const name of ['compliant', 'many-commits']) {
    const p = await asProcess(join(out, 'dist/index.js'), name, 7)
    console.log(`bundled action, fresh process (${name}): spawn to verdict (status received) median ${p.median.toFixed(0)} ms, to process exit ${p.exit.toFixed(0)} ms over 7 runs`)
    console.log(`  phases inside the process (medians): ${p.phases}; the rest is Node start, bundle load and client setup`)
    const cold = await inProcess(name, 5, false)
    const warm = await inProcess(name, 5, true)
    console.log(`  in process, policies compiled per run: median ${cold.median.toFixed(1)} ms; engine already loaded: ${warm.median.toFixed(1)} ms (verdict ${warm.verdict}); API round trips per PR: ${warm.trips}`)
  }
  for (const [file, size] of Object.entries(sizes)) console.log(`bundle dist/${file}: ${(size / 1024).toFixed(0)} KiB (built from src now)`)
} finally {
  rmSync(out, { recursive: true, force: true })
}
