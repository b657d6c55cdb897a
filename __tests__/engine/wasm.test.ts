import { describe, expect, it, beforeAll } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readBundle } from '../../src/engine/bundle.js'
import { PolicyEngineError } from '../../src/engine/types.js'
import { loadWasmEngine, toEntrypoint } from '../../src/engine/wasm.js'
import { tinyPolicyWasm } from '../support/wasm.js'

let wasm: Uint8Array

/** Packs files into a bundle.tar.gz with the system's tar, as `opa build` lays one out. */
function packBundle(files: Record<string, string | Uint8Array>): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'cg-bundle-'))
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, 'src', path, '..'), { recursive: true })
    writeFileSync(join(dir, 'src', path), content)
  }
  execFileSync('tar', ['-czf', join(dir, 'bundle.tar.gz'), '-C', join(dir, 'src'), ...Object.keys(files)])
  return readFileSync(join(dir, 'bundle.tar.gz'))
}

async function rejection(p: Promise<unknown>): Promise<PolicyEngineError> {
  try {
    await p
  } catch (err) {
    expect(err).toBeInstanceOf(PolicyEngineError)
    return err as PolicyEngineError
  }
  throw new Error('expected a rejection')
}

beforeAll(async () => {
  wasm = await tinyPolicyWasm()
})

describe('OPA Wasm engine', () => {
  it('evaluates an entrypoint of a bare policy.wasm with input and data', async () => {
    const engine = await loadWasmEngine(wasm, 'policy.wasm')
    engine.setData({ team: 'payments' })
    await expect(engine.evaluate('example/echo', { pr: 7, title: 'Ünïcode' })).resolves.toEqual({
      input: { pr: 7, title: 'Ünïcode' },
      data: { team: 'payments' }
    })
  })

  it('accepts the entrypoint as a data reference', async () => {
    const engine = await loadWasmEngine(wasm)
    engine.setData({ decision: { allow: false, violations: [{ code: 'ticket/reference' }] } })
    await expect(engine.evaluate('data.change_gate.main.decision', {})).resolves.toEqual({
      allow: false,
      violations: [{ code: 'ticket/reference' }]
    })
    expect(toEntrypoint('data.change_gate.main.decision')).toBe('change_gate/main/decision')
  })

  it('returns undefined for an undefined entrypoint result', async () => {
    const engine = await loadWasmEngine(wasm)
    await expect(engine.evaluate('example/undefined', {})).resolves.toBeUndefined()
  })

  it('reads a bundle.tar.gz with its manifest and merges data.json files under their folders', async () => {
    const bytes = packBundle({
      '.manifest': JSON.stringify({ revision: 'r1', roots: ['change_gate'], wasm: [{ entrypoint: 'example/echo', module: '/policy.wasm' }] }),
      'data.json': JSON.stringify({ base: 1 }),
      'change_gate/config/data.json': JSON.stringify({ min: 2 }),
      'policy.wasm': wasm
    })
    const bundle = readBundle(bytes, 'bundle.tar.gz')
    expect(bundle.manifest).toMatchObject({ revision: 'r1' })
    expect(bundle.data).toEqual({ base: 1, change_gate: { config: { min: 2 } } })

    const engine = await loadWasmEngine(bytes, 'bundle.tar.gz')
    engine.setData({ change_gate: { config: { extra: true } } })
    await expect(engine.evaluate('example/echo', null)).resolves.toEqual({
      input: null,
      data: { base: 1, change_gate: { config: { min: 2, extra: true } } }
    })
  })

  it('serves builtins the SDK lacks from the embedded engine', async () => {
    const engine = await loadWasmEngine(wasm)
    await expect(engine.evaluate('example/builtin', 'hello')).resolves.toBe('HELLO')
  })

  it('turns an abort inside the policy (a thrown string) into a structured error', async () => {
    const engine = await loadWasmEngine(wasm)
    const err = await rejection(engine.evaluate('example/abort', {}))
    expect(err.code).toBe('eval_error')
    expect(err.message).toContain('example/abort: policy aborted on purpose')
  })

  it('names the entrypoints it has when asked for one it lacks', async () => {
    const engine = await loadWasmEngine(wasm, 'policy.wasm')
    const err = await rejection(engine.evaluate('change_gate/main/nope', {}))
    expect(err.code).toBe('not_found')
    expect(err.message).toContain('change_gate/main/decision')
    expect(err.message).toContain("opa build -t wasm -e change_gate/main/nope")
  })

  it('refuses files that are not bundles, and bundles with no or several modules', async () => {
    expect((await rejection(loadWasmEngine(new TextEncoder().encode('package x'), 'x.rego'))).code).toBe('load_error')
    expect(() => readBundle(packBundle({ 'data.json': '{}' }), 'b.tar.gz')).toThrow(/holds 0 Wasm modules/)
    expect(() => readBundle(packBundle({ 'a.wasm': wasm, 'b/policy.wasm': wasm }), 'b.tar.gz')).toThrow(/holds 2 Wasm modules/)
    expect(() => readBundle(packBundle({ 'policy.wasm': wasm, 'data.json': '{oops' }), 'b.tar.gz')).toThrow(/data.json is not valid JSON/)
    const corrupt = new Uint8Array(wasm)
    corrupt[10] ^= 0xff
    expect((await rejection(loadWasmEngine(corrupt, 'broken.wasm'))).code).toBe('load_error')
  })
})
