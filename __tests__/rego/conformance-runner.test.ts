import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatReport, loadCases, loadKnownFailures, runCase, runConformance, type ConformanceCase, type RegoFacade } from '../../src/rego/conformance.js'
import { parseModule, parseQuery, parseTerm } from '../../src/rego/parser.js'
import { RegoError, RegoErrors } from '../../src/rego/errors.js'
import { RegoSet, type Value } from '../../src/rego/value.js'

/**
 * A stand-in engine: the query text selects a canned outcome, so the runner's loading and
 * comparison logic is tested on its own. Options it received are recorded.
 */
function fakeEngine(outcomes: Record<string, Array<Record<string, Value>> | Error>): RegoFacade & { seen: unknown[] } {
  const seen: unknown[] = []
  return {
    seen,
    parseModule,
    parseQuery,
    parseTerm,
    compileModules() {
      return {
        query(q, opts) {
          seen.push(opts)
          const out = outcomes[q as string]
          if (out instanceof Error) throw out
          return (out ?? []).map((b) => new Map(Object.entries(b)))
        }
      }
    }
  }
}

const base = (over: Partial<ConformanceCase>): ConformanceCase => ({ id: 'f/x.yaml: n', folder: 'f', note: 'n', query: 'q', modules: ['package t'], ...over })

describe('conformance runner', () => {
  it('loads cases recursively with stable ids, repeated notes numbered', () => {
    const dir = mkdtempSync(join(tmpdir(), 'conf-'))
    mkdirSync(join(dir, 'a'))
    writeFileSync(
      join(dir, 'a', 'one.yaml'),
      'cases:\n  - note: a/x\n    query: data.t.p = x\n    modules: ["package t\\np := 1"]\n    want_result: [{x: 1}]\n  - note: a/x\n    query: y = 1\n    sort_bindings: true\n    strict_error: true\n    input_term: "{1}"\n'
    )
    const cases = loadCases(dir)
    expect(cases.map((c) => [c.folder, c.id])).toEqual([
      ['a', 'a/one.yaml: a/x'],
      ['a', 'a/one.yaml: a/x (2)']
    ])
    expect(cases[1]).toMatchObject({ sort_bindings: true, strict_error: true, input_term: '{1}', modules: [] })
  })

  it('compares bindings as a set of JSON values', () => {
    const eng = fakeEngine({ q: [{ x: 2 }, { x: new RegoSet([3, 1]) }] })
    expect(runCase(base({ want_result: [{ x: [1, 3] }, { x: 2 }] }), eng).ok).toBe(true)
    const r = runCase(base({ want_result: [{ x: 2 }] }), eng)
    expect(r.ok).toBe(false)
    expect(r.reason).toContain('want 1 result(s)')
    expect(runCase(base({ want_result: [] }), fakeEngine({})).ok).toBe(true)
    // Duplicate bindings collapse, as in OPA's runner.
    expect(runCase(base({ want_result: [{ x: 1 }] }), fakeEngine({ q: [{ x: 1 }, { x: 1 }] })).ok).toBe(true)
  })

  it('sorts array bindings only when asked', () => {
    const eng = fakeEngine({ q: [{ x: [2, 1] }] })
    expect(runCase(base({ want_result: [{ x: [1, 2] }] }), eng).ok).toBe(false)
    expect(runCase(base({ want_result: [{ x: [1, 2] }], sort_bindings: true }), eng).ok).toBe(true)
  })

  it('passes input_term, data and strict mode to the engine', () => {
    const eng = fakeEngine({ q: [] })
    runCase(base({ input_term: '{"a": {1}}', data: { d: 1 }, strict_error: true, want_result: [] }), eng)
    const opts = eng.seen[0] as { input: unknown; strictBuiltinErrors: boolean }
    expect(opts.strictBuiltinErrors).toBe(true)
    expect(String((opts.input as { key(): string }).key())).toContain('{d1}')
  })

  it('checks error codes and messages, and reports unexpected errors', () => {
    const err = new RegoErrors([new RegoError('eval_conflict_error', 'complete rules must not produce multiple outputs', { file: 'test-0.rego', row: 3, col: 1 })])
    const eng = fakeEngine({ q: err })
    expect(runCase(base({ want_error_code: 'eval_conflict_error', want_error: 'multiple outputs' }), eng).ok).toBe(true)
    expect(runCase(base({ want_error_code: 'eval_type_error' }), eng).reason).toContain('want error code eval_type_error')
    expect(runCase(base({ want_error: 'nope' }), eng).ok).toBe(false)
    expect(runCase(base({ want_result: [] }), eng).reason).toContain('unexpected error')
    expect(runCase(base({ want_error_code: 'eval_type_error' }), fakeEngine({ q: [{ x: 1 }] })).reason).toContain('got 1 result(s)')
    // A module that does not parse is an error result, not a crash of the runner.
    expect(runCase(base({ modules: ['package'], want_error_code: 'rego_parse_error' }), eng).ok).toBe(true)
  })

  it('fails on unlisted failures, reports listed cases that pass, ends with the summary line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'known-'))
    writeFileSync(join(dir, 'k.yaml'), '"f/x.yaml: bad": evaluator lacks X\n"f/x.yaml: good": was broken\n')
    const known = loadKnownFailures(join(dir, 'k.yaml'))
    const eng = fakeEngine({ q: [{ x: 1 }] })
    const cases = [
      base({ id: 'f/x.yaml: bad', want_result: [{ x: 2 }] }),
      base({ id: 'f/x.yaml: good', want_result: [{ x: 1 }] }),
      base({ id: 'f/x.yaml: new', want_result: [{ x: 3 }] })
    ]
    const report = runConformance(cases, eng, known)
    expect(report.unexpected.map((r) => r.case.id)).toEqual(['f/x.yaml: new'])
    expect(report.nowPassing).toEqual(['f/x.yaml: good'])
    const lines = formatReport(report, known)
    expect(lines[0]).toBe('f: 1 passed, 2 failed')
    expect(lines.at(-1)).toBe('conformance: 1 passed, 2 failed')
    expect(lines.join('\n')).toContain('FAIL f/x.yaml: new')
    writeFileSync(join(dir, 'empty.yaml'), '# nothing known\n')
    expect(loadKnownFailures(join(dir, 'empty.yaml')).size).toBe(0)
    writeFileSync(join(dir, 'bad.yaml'), '"x": ""\n')
    expect(() => loadKnownFailures(join(dir, 'bad.yaml'))).toThrow('needs a one-line reason')
  })
})
