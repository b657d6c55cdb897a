/**
 * OPA's conformance suite against the engine. The suite lives beside the repository
 * (`../shared/opa-conformance/v1`; CONFORMANCE_DIR overrides). Its absence is a failure, not a
 * skip: a green run must mean the cases ran. Every failing case must be on
 * `conformance/known-failures.yaml` with its reason. The run happens in a child process with a
 * time limit, so that a case the engine never finishes fails this test instead of hanging it.
 */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const dir = process.env.CONFORMANCE_DIR ? resolve(process.env.CONFORMANCE_DIR) : resolve(repo, '..', 'shared', 'opa-conformance', 'v1')
const LIMIT_MS = 240_000

interface JsonReport {
  cases: number
  passed: number
  failed: number
  unexpected: { id: string; reason: string }[]
  nowPassing: string[]
}

describe('OPA conformance', () => {
  it('has the suite', () => {
    expect({ dir, exists: existsSync(dir) }).toEqual({ dir, exists: true })
  })

  it(
    'fails no case that is not on the known-failures list, and passes at least 90%',
    () => {
      if (!existsSync(dir)) throw new Error(`conformance suite not found at ${dir}; set CONFORMANCE_DIR`)
      const run = spawnSync(process.execPath, ['--import', 'tsx', resolve(repo, 'scripts', 'conformance.ts'), dir, '--json'], {
        cwd: repo,
        encoding: 'utf8',
        timeout: LIMIT_MS,
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, NODE_OPTIONS: '' }
      })
      if (run.error || run.signal) {
        throw new Error(`the conformance run did not finish within ${LIMIT_MS / 1000} s (${run.error?.message ?? run.signal}): a case may never terminate\n${run.stderr}`)
      }
      const last = run.stdout.trim().split('\n').at(-1) ?? ''
      let report: JsonReport
      try {
        report = JSON.parse(last) as JsonReport
      } catch {
        throw new Error(`the conformance run printed no report (exit ${run.status}):\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`)
      }
      expect(report.cases).toBeGreaterThan(0)
      expect(report.unexpected.map((u) => `${u.id}: ${u.reason}`)).toEqual([])
      expect(run.status).toBe(0)
      // The bar: at least 90% of all cases pass.
      expect(report.passed / report.cases).toBeGreaterThanOrEqual(0.9)
    },
    LIMIT_MS + 30_000
  )
})
