/**
 * Miscellaneous builtins: strict SemVer 2.0 (`semver.*`), `trace`, `uuid.*` and `rand.intn`.
 * `uuid.rfc4122` and `rand.intn` draw from the context's randomness and memoise their result
 * per argument in the per-evaluation cache, so one query sees one value per key, as in OPA.
 */
import semver from 'semver'
import { RegoObject, keyOf, type Value } from '../value.js'
import { int, str } from './args.js'
import { BuiltinError, type BuiltinContext, type BuiltinDef } from './types.js'

/** The value cached under `key` for this evaluation, computed once. */
function memo(ctx: BuiltinContext, key: string, make: () => Value): Value {
  if (ctx.cache.has(key)) return ctx.cache.get(key) as Value
  const v = make()
  ctx.cache.set(key, v)
  return v
}

/** A random version 4 UUID in the canonical lower-case form. */
function uuid4(random: () => number): string {
  const b = Array.from({ length: 16 }, () => Math.floor(random() * 256) & 0xff)
  b[6] = (b[6]! & 0x0f) | 0x40
  b[8] = (b[8]! & 0x3f) | 0x80
  const h = b.map((x) => x.toString(16).padStart(2, '0')).join('')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

const HEX32 = /^[0-9a-fA-F]{32}$/

/** The 16 bytes of a UUID in any form Go's google/uuid accepts, or null. */
function uuidBytes(s: string): number[] | null {
  let text = s
  if (text.length === 45 && text.slice(0, 9).toLowerCase() === 'urn:uuid:') text = text.slice(9)
  else if (text.length === 38 && text[0] === '{' && text[37] === '}') text = text.slice(1, 37)
  if (text.length === 36) {
    if (text[8] !== '-' || text[13] !== '-' || text[18] !== '-' || text[23] !== '-') return null
    text = text.slice(0, 8) + text.slice(9, 13) + text.slice(14, 18) + text.slice(19, 23) + text.slice(24)
  } else if (text.length !== 32) {
    return null
  }
  if (!HEX32.test(text)) return null
  return Array.from({ length: 16 }, (_, i) => parseInt(text.slice(2 * i, 2 * i + 2), 16))
}

function variantName(b8: number): string {
  if ((b8 & 0xc0) === 0x80) return 'RFC4122'
  if ((b8 & 0xe0) === 0xc0) return 'Microsoft'
  if ((b8 & 0xe0) === 0xe0) return 'Future'
  return 'Reserved'
}

function macVariables(first: number): string {
  if ((first & 3) === 3) return 'local:multicast'
  if ((first & 1) === 1) return 'global:multicast'
  if ((first & 2) === 2) return 'local:unicast'
  return 'global:unicast'
}

/** 100-ns intervals from the Gregorian reform (1582-10-15) to the Unix epoch. */
const GREGORIAN_OFFSET = 122192928000000000n

/** What `uuid.parse` reports: version and variant, plus the decodable fields of versions 1 and 2. */
function parseUUID(s: string): RegoObject | undefined {
  const b = uuidBytes(s)
  if (b === null) return undefined
  const version = b[6]! >> 4
  const out: Array<[Value, Value]> = [
    ['version', version],
    ['variant', variantName(b[8]!)],
  ]
  if (version === 1 || version === 2) {
    const be = (from: number, to: number): bigint => b.slice(from, to).reduce((acc, x) => (acc << 8n) | BigInt(x), 0n)
    const ticks = be(0, 4) | (be(4, 6) << 32n) | ((be(6, 8) & 0xfffn) << 48n)
    const since = ticks - GREGORIAN_OFFSET
    // Go truncates toward zero: seconds and the remainder keep the sign of `since`.
    const ns = (since / 10_000_000n) * 1_000_000_000n + (since % 10_000_000n) * 100n
    out.push(
      ['time', Number(ns)],
      ['nodeid', b.slice(10).map((x) => x.toString(16).padStart(2, '0')).join('-')],
      ['macvariables', macVariables(b[10]!)],
      ['clocksequence', ((b[8]! << 8) | b[9]!) & 0x3fff]
    )
    if (version === 2) {
      const domains = ['Person', 'Group', 'Org']
      out.push(['id', Number(be(0, 4))], ['domain', domains[b[9]!] ?? `Domain${b[9]!}`])
    }
  }
  return new RegoObject(out)
}

/** Strict SemVer 2.0: no leading `v`, no loose forms. */
function strict(s: string): semver.SemVer | null {
  const v = semver.parse(s, { loose: false })
  if (v === null) return null
  const canonical = v.version + (v.build.length > 0 ? `+${v.build.join('.')}` : '')
  return canonical === s ? v : null
}

function parseStrict(s: string, operand: number): semver.SemVer {
  const v = strict(s)
  if (v === null) throw new BuiltinError(`operand ${operand}: string "${s}" is not a valid SemVer; use MAJOR.MINOR.PATCH[-pre][+build]`)
  return v
}

export const builtins: BuiltinDef[] = [
  {
    name: 'semver.is_valid',
    args: ['any'],
    result: 'boolean',
    impl: (a) => {
      const s = a[0]
      if (typeof s !== 'string') return false
      return strict(s) !== null
    },
  },
  {
    name: 'semver.compare',
    args: ['string', 'string'],
    result: 'number',
    impl: (a) => semver.compare(parseStrict(str(a, 0), 1), parseStrict(str(a, 1), 2)),
  },
  { name: 'trace', args: ['string'], result: 'boolean', impl: (a) => (str(a, 0), true) },
  {
    name: 'uuid.rfc4122',
    args: ['string'],
    result: 'string',
    nondeterministic: true,
    impl: (a, ctx) => memo(ctx, `uuid.rfc4122:${keyOf(str(a, 0))}`, () => uuid4(ctx.random)),
  },
  { name: 'uuid.parse', args: ['string'], result: 'object[string:any]', impl: (a) => parseUUID(str(a, 0)) },
  {
    name: 'rand.intn',
    args: ['string', 'number'],
    result: 'number',
    nondeterministic: true,
    impl: (a, ctx) => {
      const key = str(a, 0)
      const n = Math.abs(int(a, 1))
      if (n === 0) return 0
      return memo(ctx, `rand.intn:${keyOf(key)}-${n}`, () => Math.floor(ctx.random() * n))
    },
  },
]
