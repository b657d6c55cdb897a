/**
 * JSON text the way Go's encoding/json writes it, which is what OPA's json.marshal* return and what
 * it signs or hashes (JWTs, AWS SigV4 bodies).
 */

/** Go's encoding/json text: object keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped as \u003c etc. */
export function goJSON(x: unknown): string {
  if (x === null || typeof x !== 'object') {
    return JSON.stringify(x).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
  }
  if (Array.isArray(x)) return `[${x.map(goJSON).join(',')}]`
  const rec = x as Record<string, unknown>
  const keys = Object.keys(rec).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${keys.map((k) => `${goJSON(k)}:${goJSON(rec[k])}`).join(',')}}`
}

/**
 * Go's json.MarshalIndent(x, prefix, indent), with the prefix also written before the first
 * line as OPA does. Empty arrays and objects stay `[]` and `{}`.
 */
export function goJSONIndent(x: unknown, prefix: string, indent: string): string {
  const write = (v: unknown, depth: number): string => {
    if (v === null || typeof v !== 'object') return goJSON(v)
    const pad = prefix + indent.repeat(depth + 1)
    const close = prefix + indent.repeat(depth)
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]'
      return `[\n${v.map((e) => pad + write(e, depth + 1)).join(',\n')}\n${close}]`
    }
    const rec = v as Record<string, unknown>
    const keys = Object.keys(rec).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    if (keys.length === 0) return '{}'
    return `{\n${keys.map((k) => `${pad}${goJSON(k)}: ${write(rec[k], depth + 1)}`).join(',\n')}\n${close}}`
  }
  return prefix + write(x, 0)
}
