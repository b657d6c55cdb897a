/**
 * Runs OPA's conformance cases (the YAML files of OPA's `test/cases`) against our engine.
 *
 * A case gives modules, a query, base data and input, and either the expected bindings
 * (`want_result`) or the expected error (`want_error_code`, `want_error`). Results are compared
 * as OPA's own runner does, on their JSON form (sets become sorted arrays, non-string keys their
 * JSON text), as a set of binding objects; with `sort_bindings` array values are sorted first.
 * Failures the project knows about are listed with a reason in a YAML file; a failure not on
 * that list fails the run, and a listed case that passes is reported.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { load as loadYaml } from 'js-yaml'
import type { Body, Module, Term } from './ast.js'
import { RegoError, RegoErrors } from './errors.js'
import { compare, formatValue, fromJSON, keyOf, RegoObject, toJSON, type Value } from './value.js'
import { constValue } from './terms.js'

/** The parts of the engine the runner needs (the facade of `src/rego/index.ts`). */
export interface RegoFacade {
  parseModule(file: string, source: string): Module
  parseQuery(source: string, file?: string): Body
  parseTerm(source: string, file?: string): Term
  compileModules(modules: Module[]): {
    query(
      query: Body | string,
      opts?: { input?: Value; data?: Value; strictBuiltinErrors?: boolean }
    ): Array<Map<string, Value>>
  }
}

export interface ConformanceCase {
  /** Stable identity: `<folder>/<file>: <note>` (a ` (n)` suffix on repeats). */
  id: string
  folder: string
  note: string
  query: string
  modules: string[]
  data?: unknown
  input?: unknown
  input_term?: string
  want_result?: Record<string, unknown>[]
  want_error_code?: string
  want_error?: string
  strict_error?: boolean
  sort_bindings?: boolean
}

export interface CaseResult {
  case: ConformanceCase
  ok: boolean
  /** Why it failed: what was expected and what came. */
  reason?: string
}

function yamlFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p))
    else if (name.endsWith('.yaml') || name.endsWith('.yml')) out.push(p)
  }
  return out
}

/** Every case under `dir` (recursively), in file order. Throws on unreadable or malformed files. */
export function loadCases(dir: string): ConformanceCase[] {
  const cases: ConformanceCase[] = []
  const seen = new Map<string, number>()
  for (const file of yamlFiles(dir)) {
    const rel = relative(dir, file).split('\\').join('/')
    let doc: unknown
    try {
      doc = loadYaml(readFileSync(file, 'utf8'))
    } catch (e) {
      throw new Error(`cannot read conformance file ${file}: ${(e as Error).message}`)
    }
    const list = (doc as { cases?: unknown })?.cases
    if (!Array.isArray(list)) throw new Error(`conformance file ${file} has no 'cases' list`)
    const folder = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : basename(dirname(file))
    // The id names the file by its folder and name only, so that it is the same whichever
    // level of the suite the runner is pointed at.
    const short = `${basename(dirname(file))}/${basename(file)}`
    for (const raw of list as Record<string, unknown>[]) {
      const note = String(raw.note ?? '(no note)')
      let id = `${short}: ${note}`
      const n = (seen.get(id) ?? 0) + 1
      seen.set(id, n)
      if (n > 1) id += ` (${n})`
      const c: ConformanceCase = {
        id,
        folder,
        note,
        query: String(raw.query ?? ''),
        modules: Array.isArray(raw.modules) ? raw.modules.map(String) : []
      }
      if (raw.data !== undefined) c.data = raw.data
      if (raw.input !== undefined) c.input = raw.input
      if (typeof raw.input_term === 'string') c.input_term = raw.input_term
      if (Array.isArray(raw.want_result)) c.want_result = raw.want_result as Record<string, unknown>[]
      if (typeof raw.want_error_code === 'string') c.want_error_code = raw.want_error_code
      if (typeof raw.want_error === 'string') c.want_error = raw.want_error
      if (raw.strict_error === true) c.strict_error = true
      if (raw.sort_bindings === true) c.sort_bindings = true
      cases.push(c)
    }
  }
  return cases
}

/** The value of a ground term (`input_term`); variables, refs and calls are not allowed. */
function termToValue(t: Term): Value {
  const v = constValue(t)
  if (v === undefined) throw new Error(`input_term must be a constant (found a ${t.type} at ${t.loc.row}:${t.loc.col})`)
  return v
}

/** A binding set in comparable form: JSON (OPA's result form), array values sorted on request. */
function normalise(binding: Record<string, unknown>, sortArrays: boolean): Value {
  const obj = new RegoObject()
  for (const [k, v] of Object.entries(binding)) {
    let val = fromJSON(v)
    if (sortArrays && Array.isArray(val)) val = [...val].sort(compare)
    obj.set(k, val)
  }
  return obj
}

function describe(results: Value[]): string {
  if (results.length === 0) return 'no results'
  const shown = results.slice(0, 3).map(formatValue).join(', ')
  return `${results.length} result(s): ${shown.length > 300 ? shown.slice(0, 300) + '…' : shown}${results.length > 3 ? ', …' : ''}`
}

function errorText(e: unknown): { codes: string[]; message: string } {
  if (e instanceof RegoErrors) return { codes: e.errors.map((x) => x.code), message: e.message }
  if (e instanceof RegoError) return { codes: [e.code], message: e.message }
  return { codes: [], message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }
}

/** Runs one case; never throws (engine crashes are failures with their message). */
export function runCase(c: ConformanceCase, rego: RegoFacade): CaseResult {
  const wantsError = c.want_error_code !== undefined || c.want_error !== undefined
  let got: Array<Map<string, Value>>
  try {
    const modules = c.modules.map((src, i) => rego.parseModule(`test-${i}.rego`, src))
    const policy = rego.compileModules(modules)
    const opts: { input?: Value; data?: Value; strictBuiltinErrors?: boolean } = {}
    if (c.input_term !== undefined) opts.input = termToValue(rego.parseTerm(c.input_term))
    else if (c.input !== undefined) opts.input = fromJSON(c.input)
    if (c.data !== undefined) opts.data = fromJSON(c.data)
    if (c.strict_error) opts.strictBuiltinErrors = true
    got = policy.query(c.query, opts)
  } catch (e) {
    const { codes, message } = errorText(e)
    if (!wantsError) return { case: c, ok: false, reason: `unexpected error: ${firstLine(message)}` }
    if (c.want_error_code !== undefined && !codes.includes(c.want_error_code)) {
      return { case: c, ok: false, reason: `want error code ${c.want_error_code}, got ${codes.join(', ') || 'a crash'}: ${firstLine(message)}` }
    }
    if (c.want_error !== undefined && !message.includes(c.want_error)) {
      return { case: c, ok: false, reason: `want error containing ${JSON.stringify(c.want_error)}, got: ${firstLine(message)}` }
    }
    return { case: c, ok: true }
  }
  const gotJSON = got.map((m) => {
    const o: Record<string, unknown> = {}
    for (const [k, v] of m) if (!k.startsWith('$')) o[k] = toJSON(v)
    return normalise(o, c.sort_bindings === true)
  })
  if (wantsError) {
    return { case: c, ok: false, reason: `want error ${c.want_error_code ?? ''} ${c.want_error ? JSON.stringify(c.want_error) : ''}`.trim() + `, got ${describe(gotJSON)}` }
  }
  if (c.want_result === undefined) return { case: c, ok: true }
  const want = c.want_result.map((b) => normalise(b ?? {}, c.sort_bindings === true))
  // As OPA's own runner does: expected and actual bindings are compared as sets.
  const sortKeys = (xs: Value[]) => [...new Set(xs.map(keyOf))].sort()
  const a = sortKeys(want)
  const b = sortKeys(gotJSON)
  if (a.length === b.length && a.every((k, i) => k === b[i])) return { case: c, ok: true }
  return { case: c, ok: false, reason: `want ${describe(want)}; got ${describe(gotJSON)}` }
}

function firstLine(s: string): string {
  const line = s.split('\n').find((l) => l.trim() !== '' && !/^\d+ errors? occurred:?$/.test(l.trim())) ?? s
  return line.length > 300 ? line.slice(0, 300) + '…' : line
}

/** `id → reason` from the committed known-failures file (a YAML mapping). */
export function loadKnownFailures(file: string): Map<string, string> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return new Map()
  }
  // Only comments, or nothing: no known failures.
  if (text.split('\n').every((l) => l.trim() === '' || l.trim().startsWith('#'))) return new Map()
  const doc = loadYaml(text)
  if (doc === null || doc === undefined) return new Map()
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${file} must be a YAML mapping of case id to reason`)
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
    if (typeof v !== 'string' || v.trim() === '') throw new Error(`${file}: known failure ${JSON.stringify(k)} needs a one-line reason`)
    out.set(k, v)
  }
  return out
}

export interface FolderReport {
  folder: string
  passed: number
  failed: number
  failures: CaseResult[]
}

export interface ConformanceReport {
  folders: FolderReport[]
  passed: number
  failed: number
  /** Failing cases that are not on the known-failures list: these fail the run. */
  unexpected: CaseResult[]
  /** Listed cases that now pass: the list should drop them. */
  nowPassing: string[]
}

export function runConformance(cases: ConformanceCase[], rego: RegoFacade, known: Map<string, string>): ConformanceReport {
  const byFolder = new Map<string, FolderReport>()
  const report: ConformanceReport = { folders: [], passed: 0, failed: 0, unexpected: [], nowPassing: [] }
  for (const c of cases) {
    let f = byFolder.get(c.folder)
    if (!f) {
      f = { folder: c.folder, passed: 0, failed: 0, failures: [] }
      byFolder.set(c.folder, f)
      report.folders.push(f)
    }
    const r = runCase(c, rego)
    if (r.ok) {
      f.passed++
      report.passed++
      if (known.has(c.id)) report.nowPassing.push(c.id)
    } else {
      f.failed++
      report.failed++
      f.failures.push(r)
      if (!known.has(c.id)) report.unexpected.push(r)
    }
  }
  return report
}

/** The printed report; its last line is exactly `conformance: N passed, M failed`. */
export function formatReport(report: ConformanceReport, known: Map<string, string>, verbose = false): string[] {
  const lines: string[] = []
  for (const f of report.folders) {
    lines.push(`${f.folder}: ${f.passed} passed, ${f.failed} failed`)
    for (const r of f.failures) {
      const listed = known.has(r.case.id)
      if (listed && !verbose) continue
      lines.push(`  ${listed ? 'known' : 'FAIL'} ${r.case.id}: ${r.reason}`)
    }
  }
  if (report.nowPassing.length > 0) {
    lines.push(`${report.nowPassing.length} case(s) on the known-failures list now pass; remove them from the list:`)
    for (const id of report.nowPassing) lines.push(`  ${id}`)
  }
  if (report.unexpected.length > 0) {
    lines.push(`${report.unexpected.length} failing case(s) are not on the known-failures list (fix them, or list them with a reason)`)
  }
  const listedFailing = report.failed - report.unexpected.length
  lines.push(`known failures: ${listedFailing} listed and failing`)
  lines.push(`conformance: ${report.passed} passed, ${report.failed} failed`)
  return lines
}
