import { describe, expect, test } from '@jest/globals'
import { builtins } from '../../../src/rego/builtins/misc.js'
import type { BuiltinContext } from '../../../src/rego/builtins/types.js'
import type { Value } from '../../../src/rego/value.js'

const ctx: BuiltinContext = { nowNs: 0n, cache: new Map(), random: () => 0.5 }
function call(name: string, ...args: Value[]): Value | undefined {
  const def = builtins.find((b) => b.name === name)
  if (!def) throw new Error(`no builtin ${name}`)
  return def.impl(args, ctx)
}

describe('misc builtins', () => {
  test('semver.is_valid is strict', () => {
    expect(call('semver.is_valid', '1.0.0-rc.1+build.5')).toBe(true)
    expect(call('semver.is_valid', 'v1.0.0')).toBe(false)
    expect(call('semver.is_valid', '1.0')).toBe(false)
    expect(call('semver.is_valid', 1)).toBe(false)
  })
  test('semver.compare orders pre-releases before releases', () => {
    expect(call('semver.compare', '1.0.0-alpha', '1.0.0')).toBe(-1)
    expect(call('semver.compare', '2.0.0', '1.9.9')).toBe(1)
    expect(call('semver.compare', '1.0.0+a', '1.0.0+b')).toBe(0)
    expect(() => call('semver.compare', '1.0', '1.0.0')).toThrow(/not a valid SemVer/)
  })
  test('trace is true', () => {
    expect(call('trace', 'hi')).toBe(true)
  })
})
