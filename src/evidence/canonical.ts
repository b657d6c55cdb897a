/**
 * RFC 8785 JSON Canonicalization Scheme (JCS).
 *
 * - objects: members sorted by key, compared as arrays of UTF-16 code units (§3.2.3);
 * - numbers: the ECMAScript Number-to-String algorithm (§3.2.2.3); NaN and ±Infinity are errors;
 * - strings: the ECMAScript JSON string serialisation (§3.2.2.2): `"` `\` and the control
 *   characters below U+0020 escaped (`\b \t \n \f \r` by name, the rest as lower-case `\u00xx`),
 *   everything else as is; lone surrogates are rejected (I-JSON, RFC 7493);
 * - no whitespace; literals `true`, `false`, `null`.
 */

import { scanCanonical } from './canonical-scan.js'

export class CanonicalizationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'CanonicalizationError'
  }
}

/** Returns the canonical JSON text of a JSON value. */
export function canonicalize(value: unknown): string {
  const out: string[] = []
  write(value, out, '$')
  return out.join('')
}

/** Returns the canonical UTF-8 bytes of a JSON value. */
export function canonicalBytes(value: unknown): Buffer {
  return Buffer.from(canonicalize(value), 'utf8')
}

function write(value: unknown, out: string[], path: string): void {
  if (value === null) {
    out.push('null')
    return
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false')
      return
    case 'number':
      out.push(serializeNumber(value, path))
      return
    case 'string':
      out.push(serializeString(value, path))
      return
    case 'object':
      break
    default:
      throw new CanonicalizationError(`${path}: a ${typeof value} is not JSON; only null, booleans, numbers, strings, arrays and objects can be canonicalised`)
  }
  if (Array.isArray(value)) {
    out.push('[')
    value.forEach((item, i) => {
      if (i > 0) out.push(',')
      write(item, out, `${path}[${i}]`)
    })
    out.push(']')
    return
  }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) {
    throw new CanonicalizationError(`${path}: a ${proto?.constructor?.name ?? 'non-plain'} object is not JSON; convert it to a plain object first`)
  }
  const obj = value as Record<string, unknown>
  // Default sort compares strings by UTF-16 code units, which is exactly what §3.2.3 requires.
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort()
  out.push('{')
  keys.forEach((key, i) => {
    if (i > 0) out.push(',')
    out.push(serializeString(key, `${path} (key)`), ':')
    write(obj[key], out, `${path}.${key}`)
  })
  out.push('}')
}

/** ECMAScript Number::toString, which JSON.stringify applies to finite numbers; -0 becomes 0. */
export function serializeNumber(n: number, path = '$'): string {
  if (!Number.isFinite(n)) throw new CanonicalizationError(`${path}: ${n} is not a JSON number (RFC 8785 rejects NaN and Infinity)`)
  return JSON.stringify(n)
}

export function serializeString(s: string, path = '$'): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++
        continue
      }
      throw new CanonicalizationError(`${path}: lone high surrogate U+${c.toString(16).toUpperCase()} at index ${i}; RFC 8785 requires well-formed Unicode`)
    }
    if (c >= 0xdc00 && c <= 0xdfff) {
      throw new CanonicalizationError(`${path}: lone low surrogate U+${c.toString(16).toUpperCase()} at index ${i}; RFC 8785 requires well-formed Unicode`)
    }
  }
  // With well-formed input, ES2019 JSON.stringify escapes exactly the RFC 8785 set.
  return JSON.stringify(s)
}

/**
 * True when `text` is exactly the RFC 8785 form of `parsed` (which must be JSON.parse(text)).
 * A single pass over the text decides (see canonical-scan.ts); texts holding UTF-16 surrogates
 * go to the full canonicalisation, which alone rejects lone surrogates.
 */
export function isCanonicalText(text: string, parsed: unknown): boolean {
  const scanned = scanCanonical(text)
  if (scanned !== null) return scanned
  try {
    return canonicalize(parsed) === text
  } catch {
    return false
  }
}
