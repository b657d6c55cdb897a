import { describe, expect, test } from '@jest/globals'
import { builtins } from '../../../src/rego/builtins/misc.js'
import type { BuiltinContext } from '../../../src/rego/builtins/types.js'
import { caller } from './support.js'
import { toJSON } from '../../../src/rego/value.js'

const call = caller(builtins)

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
  test('uuid.parse decodes versions, variants and the fields of version 1 and 2 UUIDs', () => {
    const parsed = (s: string): unknown => {
      const v = call('uuid.parse', s)
      return v === undefined ? undefined : toJSON(v)
    }
    const v4 = { variant: 'RFC4122', version: 4 }
    expect(parsed('00000000-0000-4000-8000-000000000000')).toEqual(v4)
    expect(parsed('{00000000-0000-4000-8000-000000000000}')).toEqual(v4)
    expect(parsed('6bea8ef2d3d33cd184e09bab06a52ece')).toEqual({ variant: 'RFC4122', version: 3 })
    const v2 = {
      clocksequence: 12800,
      domain: 'Person',
      id: 1000,
      macvariables: 'local:unicast',
      nodeid: '32-50-96-b3-9f-47',
      time: 1693566990121469700,
      variant: 'RFC4122',
      version: 2,
    }
    expect(parsed('000003e8-48b9-21ee-b200-325096b39f47')).toEqual(v2)
    expect(parsed('urn:uuid:000003e8-48b9-21ee-b200-325096b39f47')).toEqual(v2)
    expect(parsed('00000000-0000-1000-c000-010000000000')).toMatchObject({ version: 1, variant: 'Microsoft', macvariables: 'global:multicast' })
    expect(parsed('00000000-0000-4000-8000-00000000000')).toBeUndefined()
    expect(parsed('00000000x0000-4000-8000-000000000000')).toBeUndefined()
    expect(parsed('0000000g-0000-4000-8000-000000000000')).toBeUndefined()
    expect(() => call('uuid.parse', 123)).toThrow(/operand 1 must be string/)
  })
  test('uuid.rfc4122 is a v4 UUID, stable per key within one evaluation', () => {
    let seed = 1
    const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646
    const eval1: BuiltinContext = { nowNs: 0n, cache: new Map(), random }
    const def = builtins.find((b) => b.name === 'uuid.rfc4122')!
    expect(def.nondeterministic).toBe(true)
    const a = def.impl(['k'], eval1) as string
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(def.impl(['k'], eval1)).toBe(a)
    expect(def.impl(['other'], eval1)).not.toBe(a)
    const eval2: BuiltinContext = { nowNs: 0n, cache: new Map(), random }
    expect(def.impl(['k'], eval2)).not.toBe(a)
  })
  test('rand.intn: in [0, |n|), stable per (key, n) within one evaluation, 0 for n = 0', () => {
    const values = [0.99, 0.1, 0.5]
    const evalCtx: BuiltinContext = { nowNs: 0n, cache: new Map(), random: () => values.shift()! }
    const def = builtins.find((b) => b.name === 'rand.intn')!
    expect(def.impl(['k', 10], evalCtx)).toBe(9)
    expect(def.impl(['k', 10], evalCtx)).toBe(9)
    expect(def.impl(['k', -10], evalCtx)).toBe(9)
    expect(def.impl(['k', 100], evalCtx)).toBe(10)
    expect(def.impl(['k', 0], evalCtx)).toBe(0)
    expect(() => def.impl(['k', 1.5], evalCtx)).toThrow(/integer/)
  })
})
