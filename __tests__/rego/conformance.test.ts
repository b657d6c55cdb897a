/**
 * OPA's conformance suite against the engine. The suite lives beside the repository
 * (`../shared/opa-conformance/v1`; CONFORMANCE_DIR overrides). Its absence is a failure, not a
 * skip: a green run must mean the cases ran. Every failing case must be on
 * `conformance/known-failures.yaml` with its reason.
 */
import { describe, expect, it } from '@jest/globals'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatReport, loadCases, loadKnownFailures, runConformance } from '../../src/rego/conformance.js'
import * as rego from '../../src/rego/index.js'

const repo = fileURLToPath(new URL('../../', import.meta.url))
const dir = process.env.CONFORMANCE_DIR ? resolve(process.env.CONFORMANCE_DIR) : resolve(repo, '..', 'shared', 'opa-conformance', 'v1')

describe('OPA conformance', () => {
  it('has the suite', () => {
    expect({ dir, exists: existsSync(dir) }).toEqual({ dir, exists: true })
  })

  it('fails no case that is not on the known-failures list', () => {
    if (!existsSync(dir)) throw new Error(`conformance suite not found at ${dir}; set CONFORMANCE_DIR`)
    const known = loadKnownFailures(join(repo, 'conformance', 'known-failures.yaml'))
    const cases = loadCases(dir)
    expect(cases.length).toBeGreaterThan(0)
    const report = runConformance(cases, rego, known)
    const unexpected = report.unexpected.map((r) => `${r.case.id}: ${r.reason}`)
    if (unexpected.length > 0) console.error(formatReport(report, known).join('\n'))
    expect(unexpected).toEqual([])
    // The bar: at least 90% of all cases pass.
    expect(report.passed / cases.length).toBeGreaterThanOrEqual(0.9)
  })
})
