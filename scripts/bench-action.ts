/**
 * Benchmark of the PR gate's glue: time from start to a published verdict with the GitHub
 * stand-in answering at once (so the figure excludes the network), the API round trips per PR,
 * and the size of the bundles. `npm run bench:action`.
 *
 * The decision step here is a fixed allow (the policy engine has its own benchmark); the rest —
 * event plan, GraphQL facts (real schema execution in the stand-in), config read, publishing —
 * is the real code.
 */
import { statSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import { runGate } from '../src/action/gate.js'
import { extractDecision } from '../src/engine/decision.js'
import { parseInputs } from '../src/action/inputs.js'
import type { RunnerIO } from '../src/action/ports.js'
import { createGitHubClient } from '../src/github/client.js'
import { loadScenario } from '../__tests__/support/github-standin/scenario.js'
import { startStandIn } from '../__tests__/support/github-standin/server.js'

const quiet: RunnerIO = { debug() {}, info() {}, warning() {}, error() {}, group: (_n, fn) => fn(), setOutput() {}, writeSummary: async () => {}, setFailed() {} }

async function measure(name: string, runs: number, throttle: boolean): Promise<{ median: number; trips: Record<string, number> }> {
  const scenario = loadScenario(new URL(`../__fixtures__/scenarios/${name}.yml`, import.meta.url).pathname)
  const standin = await startStandIn(scenario)
  const times: number[] = []
  let trips: Record<string, number> = {}
  try {
    for (let i = 0; i < runs; i++) {
      // The write limiter is per process; a runner starts a fresh process per job, so let the
      // previous run's 1 s write spacing lapse (untimed) instead of measuring it.
      if (throttle && i > 0) await new Promise((r) => setTimeout(r, 1100))
      const before = standin.calls.length
      const t0 = performance.now()
      const client = createGitHubClient({ token: 't', apiUrl: standin.url, retries: 0, throttle })
      const inputs = parseInputs((n) => (n === 'token' ? 't' : ''))
      const payload = { action: 'synchronize', repository: { full_name: 'acme/api' }, pull_request: { number: scenario.pull_request.number, head: { sha: standin.headSha } } }
      await runGate({ client, io: quiet, inputs, decide: async () => ({ decision: extractDecision({ allow: true, violations: [] }) }) }, { eventName: 'pull_request', payload, now: new Date() })
      times.push(performance.now() - t0)
      const calls = standin.calls.slice(before)
      trips = { graphql: calls.filter((c) => c.operation).length, rest: calls.filter((c) => !c.operation).length }
    }
  } finally {
    await standin.close()
  }
  times.sort((a, b) => a - b)
  return { median: times[Math.floor(times.length / 2)]!, trips }
}

async function bundleSizes(): Promise<Record<string, number>> {
  const out = mkdtempSync(join(tmpdir(), 'cg-bench-dist-'))
  try {
    const sizes: Record<string, number> = {}
    for (const [entry, file] of [['src/index.ts', 'index.js'], ['src/cli/bin.ts', 'cli.js']] as const) {
      await build({ entryPoints: [entry], outfile: join(out, file), bundle: true, platform: 'node', target: 'node20', format: 'esm', minify: true, logLevel: 'silent' })
      sizes[file] = statSync(join(out, file)).size
    }
    return sizes
  } finally {
    rmSync(out, { recursive: true, force: true })
  }
}

for (const name of ['compliant', 'many-commits']) {
  const own = await measure(name, 15, false)
  console.log(`action start to verdict (${name}): median ${own.median.toFixed(1)} ms over 15 runs without write pacing; API round trips per PR: ${own.trips.graphql} GraphQL + ${own.trips.rest} REST`)
  const paced = await measure(name, 3, true)
  console.log(`  with Octokit's throttling as in production (REST writes paced 1 s apart, GraphQL queries not): median ${paced.median.toFixed(0)} ms`)
}
for (const [file, size] of Object.entries(await bundleSizes())) console.log(`bundle dist/${file}: ${(size / 1024).toFixed(0)} KiB (built from src now)`)
