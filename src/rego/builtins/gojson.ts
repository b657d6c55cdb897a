/**
 * JSON text as Go's encoding/json writes it, which OPA uses before signing or hashing a value:
 * object keys sorted, and `<`, `>`, `&`, U+2028 and U+2029 escaped.
 */
export function marshalGo(x: unknown): string {
  if (x === null || typeof x !== 'object') {
    return JSON.stringify(x).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  }
  if (Array.isArray(x)) return `[${x.map(marshalGo).join(',')}]`
  const rec = x as Record<string, unknown>
  const keys = Object.keys(rec).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${keys.map((k) => `${marshalGo(k)}:${marshalGo(rec[k])}`).join(',')}}`
}
