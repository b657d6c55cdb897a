/**
 * Rego values. Scalars are plain JavaScript values, arrays are plain (treated as immutable)
 * arrays, and sets and objects are classes keyed by a canonical encoding so that structurally
 * equal values collide, as they do in OPA.
 *
 * Ordering follows OPA's total order: null < boolean < number < string < array < object < set.
 * Sets and objects iterate in that order (sorted), which is what OPA does and what makes
 * results deterministic.
 */

export type Value = null | boolean | number | string | Value[] | RegoSet | RegoObject

const TYPE_RANK = { null: 0, boolean: 1, number: 2, string: 3, array: 6, object: 7, set: 8 } as const

export type TypeName = keyof typeof TYPE_RANK

/** The Rego type name of a value, as `type_name` returns it. */
export function typeName(v: Value): TypeName {
  if (v === null) return 'null'
  switch (typeof v) {
    case 'boolean':
      return 'boolean'
    case 'number':
      return 'number'
    case 'string':
      return 'string'
  }
  if (Array.isArray(v)) return 'array'
  if (v instanceof RegoSet) return 'set'
  return 'object'
}

/** Canonical key: equal values (in Rego's sense) have equal keys. */
export function keyOf(v: Value): string {
  if (v === null) return 'n'
  switch (typeof v) {
    case 'boolean':
      return v ? 't' : 'f'
    case 'number':
      return 'd' + (Object.is(v, -0) ? '0' : String(v))
    case 'string':
      return 's' + JSON.stringify(v)
  }
  if (Array.isArray(v)) {
    let out = '['
    for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + keyOf(v[i])
    return out + ']'
  }
  return (v as RegoSet | RegoObject).key()
}

function compareStrings(a: string, b: string): number {
  // Go compares strings byte-wise (UTF-8), which is code point order; JavaScript's `<`
  // compares UTF-16 units. They differ only when a surrogate pair meets U+E000..U+FFFF.
  if (a === b) return 0
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i)
    const y = b.charCodeAt(i)
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        const cx = a.codePointAt(i) as number
        const cy = b.codePointAt(i) as number
        return cx < cy ? -1 : cx > cy ? 1 : 0
      }
      return x < y ? -1 : 1
    }
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0
}

/** OPA's total order over values. */
export function compare(a: Value, b: Value): number {
  const ta = typeName(a)
  const tb = typeName(b)
  if (ta !== tb) return TYPE_RANK[ta] - TYPE_RANK[tb]
  switch (ta) {
    case 'null':
      return 0
    case 'boolean':
      return a === b ? 0 : a ? 1 : -1
    case 'number':
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0
    case 'string':
      return compareStrings(a as string, b as string)
    case 'array': {
      const x = a as Value[]
      const y = b as Value[]
      const n = Math.min(x.length, y.length)
      for (let i = 0; i < n; i++) {
        const c = compare(x[i], y[i])
        if (c !== 0) return c
      }
      return x.length - y.length
    }
    case 'object': {
      const x = (a as RegoObject).entries()
      const y = (b as RegoObject).entries()
      const n = Math.min(x.length, y.length)
      for (let i = 0; i < n; i++) {
        const ck = compare(x[i][0], y[i][0])
        if (ck !== 0) return ck
        const cv = compare(x[i][1], y[i][1])
        if (cv !== 0) return cv
      }
      return x.length - y.length
    }
    case 'set': {
      const x = (a as RegoSet).values()
      const y = (b as RegoSet).values()
      const n = Math.min(x.length, y.length)
      for (let i = 0; i < n; i++) {
        const c = compare(x[i], y[i])
        if (c !== 0) return c
      }
      return x.length - y.length
    }
  }
}

export function equals(a: Value, b: Value): boolean {
  if (a === b) return true
  const ta = typeof a
  if (ta !== 'object' || a === null || b === null || typeof b !== 'object') return false
  return keyOf(a) === keyOf(b)
}

/**
 * The key a value is stored under inside a set or an object. Strings (by far the most common
 * keys) are used as they are, so lookups with literal keys hash nothing new; every other value,
 * and the rare string starting with NUL, is NUL followed by its canonical key. Injective.
 */
function mapKey(v: Value): string {
  if (typeof v === 'string' && (v.length === 0 || v.charCodeAt(0) !== 0)) return v
  return '\u0000' + keyOf(v)
}

/** A Rego set. Mutable while being built; treat as immutable once shared. */
export class RegoSet {
  private readonly items = new Map<string, Value>()
  private sorted: Value[] | undefined
  private cachedKey: string | undefined

  constructor(values?: Iterable<Value>) {
    if (values) for (const v of values) this.add(v)
  }

  get size(): number {
    return this.items.size
  }

  add(v: Value): this {
    const k = mapKey(v)
    if (!this.items.has(k)) {
      this.items.set(k, v)
      this.sorted = undefined
      this.cachedKey = undefined
    }
    return this
  }

  has(v: Value): boolean {
    return this.items.has(mapKey(v))
  }

  /** Members in OPA's order. The returned array must not be modified. */
  values(): Value[] {
    if (!this.sorted) this.sorted = [...this.items.values()].sort(compare)
    return this.sorted
  }

  [Symbol.iterator](): Iterator<Value> {
    return this.values()[Symbol.iterator]()
  }

  key(): string {
    if (this.cachedKey === undefined) {
      this.cachedKey = '{' + [...this.items.values()].map(keyOf).sort().join(',') + '}'
    }
    return this.cachedKey
  }
}

/** A Rego object: keys are any value. Mutable while being built; treat as immutable once shared. */
export class RegoObject {
  private readonly items = new Map<string, [Value, Value]>()
  private sorted: [Value, Value][] | undefined
  private cachedKey: string | undefined

  constructor(entries?: Iterable<readonly [Value, Value]>) {
    if (entries) for (const [k, v] of entries) this.set(k, v)
  }

  get size(): number {
    return this.items.size
  }

  set(k: Value, v: Value): this {
    this.items.set(mapKey(k), [k, v])
    this.sorted = undefined
    this.cachedKey = undefined
    return this
  }

  get(k: Value): Value | undefined {
    return this.items.get(mapKey(k))?.[1]
  }

  has(k: Value): boolean {
    return this.items.has(mapKey(k))
  }

  delete(k: Value): boolean {
    const had = this.items.delete(mapKey(k))
    if (had) {
      this.sorted = undefined
      this.cachedKey = undefined
    }
    return had
  }

  /** Entries sorted by key in OPA's order. The returned array must not be modified. */
  entries(): [Value, Value][] {
    if (!this.sorted) this.sorted = [...this.items.values()].sort((a, b) => compare(a[0], b[0]))
    return this.sorted
  }

  keys(): Value[] {
    return this.entries().map((e) => e[0])
  }

  values(): Value[] {
    return this.entries().map((e) => e[1])
  }

  [Symbol.iterator](): Iterator<[Value, Value]> {
    return this.entries()[Symbol.iterator]()
  }

  key(): string {
    if (this.cachedKey === undefined) {
      const parts: string[] = []
      for (const [k, v] of this.items.values()) parts.push(keyOf(k) + ':' + keyOf(v))
      this.cachedKey = '<' + parts.sort().join(',') + '>'
    }
    return this.cachedKey
  }
}

/** Converts parsed JSON (or YAML) into a Rego value. */
export function fromJSON(x: unknown): Value {
  if (x === null || x === undefined) return null
  switch (typeof x) {
    case 'boolean':
    case 'number':
    case 'string':
      return x
    case 'bigint':
      return Number(x)
  }
  if (Array.isArray(x)) return x.map(fromJSON)
  if (x instanceof RegoSet || x instanceof RegoObject) return x
  if (x instanceof Date) return x.toISOString()
  const o = new RegoObject()
  for (const [k, v] of Object.entries(x as Record<string, unknown>)) o.set(k, fromJSON(v))
  return o
}

/**
 * Converts a Rego value into plain JSON data. Sets become sorted arrays; non-string object
 * keys become their JSON text, as OPA does when it serialises a result.
 */
export function toJSON(v: Value): unknown {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(toJSON)
  if (v instanceof RegoSet) return v.values().map(toJSON)
  const out: Record<string, unknown> = {}
  for (const [k, val] of v.entries()) {
    out[typeof k === 'string' ? k : JSON.stringify(toJSON(k))] = toJSON(val)
  }
  return out
}

/** Rego's textual form of a value (as `sprintf("%v")` and `print` show it). */
export function formatValue(v: Value): string {
  if (v === null) return 'null'
  switch (typeof v) {
    case 'boolean':
      return String(v)
    case 'number':
      return formatNumber(v)
    case 'string':
      return JSON.stringify(v)
  }
  if (Array.isArray(v)) return '[' + v.map(formatValue).join(', ') + ']'
  if (v instanceof RegoSet) {
    return v.size === 0 ? 'set()' : '{' + v.values().map(formatValue).join(', ') + '}'
  }
  return '{' + v.entries().map(([k, x]) => formatValue(k) + ': ' + formatValue(x)).join(', ') + '}'
}

/** Numbers print as OPA prints them: integers without exponent where exact, else shortest form. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0)
  return String(n)
}

export function isObject(v: Value | undefined): v is RegoObject {
  return v instanceof RegoObject
}

export function isSet(v: Value | undefined): v is RegoSet {
  return v instanceof RegoSet
}

export function isArray(v: Value | undefined): v is Value[] {
  return Array.isArray(v)
}
