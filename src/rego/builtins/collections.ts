/**
 * Arrays, sets of sets, objects and the JSON path builtins (`json.filter`, `json.remove`,
 * `json.patch`), with OPA's semantics: paths are "a/b/c" strings (JSON pointer escapes
 * `~0` `~1`) or arrays of segments, and array indexes in string paths are decimal strings.
 */
import { compare, equals, RegoObject, RegoSet, typeName, type Value } from '../value.js'
import { arr, int, obj, set, typeError } from './args.js'
import { elementError } from './aggregates.js'
import { operandTypes } from './operators.js'
import { BuiltinError, type BuiltinDef } from './types.js'

// ---- arrays ----------------------------------------------------------------------------------

function slice(a: Value[]): Value[] {
  const xs = arr(a, 0)
  let start = int(a, 1)
  let stop = int(a, 2)
  // Clamp like OPA: never out of range, never a negative-length slice.
  stop = Math.max(0, Math.min(stop, xs.length))
  start = Math.max(0, Math.min(start, stop))
  return xs.slice(start, stop)
}

function flatten(a: Value[]): Value[] {
  const out: Value[] = []
  for (const x of arr(a, 0)) {
    if (Array.isArray(x)) out.push(...x)
    else out.push(x)
  }
  return out
}

// ---- sets of sets ----------------------------------------------------------------------------

function innerSets(a: Value[]): RegoSet[] {
  return set(a, 0).values().map((x) => {
    if (!(x instanceof RegoSet)) throw typeError(0, 'set', x)
    return x
  })
}

function intersection(a: Value[]): RegoSet {
  const sets = innerSets(a)
  if (sets.length === 0) return new RegoSet()
  return new RegoSet(sets[0].values().filter((v) => sets.every((s) => s.has(v))))
}

function union(a: Value[]): RegoSet {
  const out = new RegoSet()
  for (const s of innerSets(a)) for (const v of s.values()) out.add(v)
  return out
}

// ---- objects ---------------------------------------------------------------------------------

/** The keys named by operand 2 of object.remove/object.filter: an array, a set, or an object's keys. */
function keyParam(a: Value[]): RegoSet {
  const v = a[1]
  if (Array.isArray(v)) return new RegoSet(v)
  if (v instanceof RegoSet) return v
  if (v instanceof RegoObject) return new RegoSet(v.keys())
  throw operandTypes(1, v, 'object', 'set', 'array')
}

/** One step down a path, as OPA's Value.Find does: object key, integer array index, set member. */
function child(v: Value, key: Value): Value | undefined {
  if (v instanceof RegoObject) return v.get(key)
  if (Array.isArray(v)) return typeof key === 'number' && Number.isInteger(key) && key >= 0 && key < v.length ? v[key] : undefined
  if (v instanceof RegoSet) return v.has(key) ? key : undefined
  return undefined
}

function objectGet(a: Value[]): Value {
  const o = obj(a, 0)
  const key = a[1]
  if (!Array.isArray(key)) return o.get(key) ?? a[2]
  let cur: Value | undefined = o
  for (const seg of key) {
    cur = child(cur as Value, seg)
    if (cur === undefined) return a[2]
  }
  return cur as Value
}

/** Deep merge where `b` wins, recursing only where both sides hold objects. */
function mergeObjects(x: RegoObject, y: RegoObject): RegoObject {
  const out = new RegoObject(x.entries())
  for (const [k, v] of y.entries()) {
    const old = out.get(k)
    out.set(k, old instanceof RegoObject && v instanceof RegoObject ? mergeObjects(old, v) : v)
  }
  return out
}

function unionN(a: Value[]): RegoObject {
  let out = new RegoObject()
  const xs = arr(a, 0)
  for (const x of xs) {
    if (!(x instanceof RegoObject)) throw elementError(0, xs, x, 'object')
    out = mergeObjects(out, x)
  }
  return out
}

function setSubset(sup: RegoSet, sub: RegoSet): boolean {
  return sub.values().every((v) => sup.has(v))
}

/** `sub` appears as a contiguous run in `sup`. */
function arraySubset(sup: Value[], sub: Value[]): boolean {
  if (sub.length > sup.length) return false
  for (let start = 0; start + sub.length <= sup.length; start++) {
    if (sub.every((v, i) => compare(sup[start + i], v) === 0)) return true
  }
  return false
}

/**
 * Every member of `sub` occurs in `sup`. OPA counts matches per array element, so an empty
 * array is never a superset and duplicates count more than once; kept for fidelity.
 */
function arraySetSubset(sup: Value[], sub: RegoSet): boolean {
  let unmatched = sub.size
  for (const v of sup) {
    if (sub.has(v)) unmatched--
    if (unmatched <= 0) return true
  }
  return false
}

function objectSubset(sup: RegoObject, sub: RegoObject): boolean {
  for (const [k, subV] of sub.entries()) {
    const supV = sup.get(k)
    if (supV === undefined) return false
    if (equals(subV, supV)) continue
    if (supV instanceof RegoObject && subV instanceof RegoObject) {
      if (!objectSubset(supV, subV)) return false
    } else if (supV instanceof RegoSet && subV instanceof RegoSet) {
      if (!setSubset(supV, subV)) return false
    } else if (Array.isArray(supV) && Array.isArray(subV)) {
      if (!arraySubset(supV, subV)) return false
    } else return false
  }
  return true
}

function subset(a: Value[]): boolean {
  const [sup, sub] = a
  if (sup instanceof RegoObject && sub instanceof RegoObject) return objectSubset(sup, sub)
  if (sup instanceof RegoSet && sub instanceof RegoSet) return setSubset(sup, sub)
  if (Array.isArray(sup) && Array.isArray(sub)) return arraySubset(sup, sub)
  if (Array.isArray(sup) && sub instanceof RegoSet) return arraySetSubset(sup, sub)
  throw new BuiltinError('both arguments object.subset must be of the same type or array and set', 'eval_type_error')
}

// ---- JSON paths ------------------------------------------------------------------------------

type Path = Value[]

function parsePath(p: Value): Path {
  if (typeof p === 'string') {
    if (p === '') return []
    return p
      .replace(/^\/+/, '')
      .split('/')
      .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
  }
  if (Array.isArray(p)) return p
  throw new BuiltinError(
    `operand 2 must be one of {set, array} containing string paths or array of path segments but got ${typeName(p)}`,
    'eval_type_error'
  )
}

function pathsParam(a: Value[]): Path[] {
  const v = a[1]
  if (Array.isArray(v)) return v.map(parsePath)
  if (v instanceof RegoSet) return v.values().map(parsePath)
  throw operandTypes(1, v, 'set', 'array')
}

/** A tree of paths as OPA builds it: objects keyed by segment, `null` where a path ends (a shorter path wins). */
function pathsToTree(paths: Path[]): RegoObject {
  const root = new RegoObject()
  for (const path of paths) {
    if (path.length === 0) continue
    let node = root
    let covered = false
    for (let i = 0; i < path.length - 1; i++) {
      const next = node.get(path[i])
      if (next === undefined) {
        const fresh = new RegoObject()
        node.set(path[i], fresh)
        node = fresh
      } else if (next === null) {
        covered = true
        break
      } else node = next as RegoObject
    }
    if (!covered) node.set(path[path.length - 1], null)
  }
  return root
}

/** Keeps what the filter tree names; array elements are named by their index as a string. */
function filterValue(v: Value, filter: Value): Value {
  if (filter === null) return v
  const f = filter as RegoObject
  if (Array.isArray(v)) {
    const out: Value[] = []
    v.forEach((x, i) => {
      const sub = f.get(String(i))
      if (sub !== undefined) out.push(filterValue(x, sub))
    })
    return out
  }
  if (v instanceof RegoSet) {
    const out = new RegoSet()
    for (const x of v.values()) {
      const sub = f.get(x)
      if (sub !== undefined) out.add(filterValue(x, sub))
    }
    return out
  }
  if (v instanceof RegoObject) {
    const out = new RegoObject()
    for (const [k, x] of v.entries()) {
      const sub = f.get(k)
      if (sub !== undefined) out.set(k, filterValue(x, sub))
    }
    return out
  }
  return v
}

/** Drops what the tree marks as a leaf; returns undefined when `v` itself is removed. */
function removeValue(v: Value, tree: Value | undefined): Value | undefined {
  if (tree === undefined) return v
  if (tree === null) return undefined
  if (!(tree instanceof RegoObject)) return v
  if (Array.isArray(v)) {
    const out: Value[] = []
    v.forEach((x, i) => {
      const kept = removeValue(x, tree.get(String(i)))
      if (kept !== undefined) out.push(kept)
    })
    return out
  }
  if (v instanceof RegoSet) {
    const out = new RegoSet()
    for (const x of v.values()) {
      const kept = removeValue(x, tree.get(x))
      if (kept !== undefined) out.add(kept)
    }
    return out
  }
  if (v instanceof RegoObject) {
    const out = new RegoObject()
    for (const [k, x] of v.entries()) {
      const kept = removeValue(x, tree.get(k))
      if (kept !== undefined) out.set(k, kept)
    }
    return out
  }
  return v
}

// ---- json.patch (RFC 6902, as OPA applies it) -------------------------------------------------

/** An array index from a path segment: a number, or a decimal string without leading zeros; "-" is the end. */
function toIndex(xs: Value[], key: Value): number | undefined {
  if (typeof key === 'number') return Number.isInteger(key) ? key : undefined
  if (typeof key !== 'string') return undefined
  if (key === '-') return xs.length
  if (!/^-?\d+$/.test(key)) return undefined
  if (key !== '0' && key.startsWith('0')) return undefined
  return Number(key)
}

/** What a worker does to the parent of the path's last segment: the new parent and a side result. */
type Worker = (parent: Value, key: Value) => [Value, Value | undefined] | undefined

/** Rebuilds `target` along `path`, letting `worker` change the last step; undefined when the path does not exist. */
function traverse(target: Value, path: Path, worker: Worker): [Value, Value | undefined] | undefined {
  if (path.length === 0) return undefined
  const key = path[0]
  if (path.length === 1) return worker(target, key)
  const rest = path.slice(1)
  if (target instanceof RegoObject) {
    const v = target.get(key)
    if (v === undefined) return undefined
    const r = traverse(v, rest, worker)
    if (!r) return undefined
    return [new RegoObject(target.entries()).set(key, r[0]), r[1]]
  }
  if (Array.isArray(target)) {
    const i = toIndex(target, key)
    if (i === undefined || i < 0 || i >= target.length) return undefined
    const r = traverse(target[i], rest, worker)
    if (!r) return undefined
    const out = [...target]
    out[i] = r[0]
    return [out, r[1]]
  }
  if (target instanceof RegoSet) {
    if (!target.has(key)) return undefined
    const r = traverse(key, rest, worker)
    if (!r) return undefined
    const out = new RegoSet(target.values().filter((x) => !equals(x, key)))
    return [out.add(r[0]), r[1]]
  }
  return undefined
}

function patchGet(target: Value, path: Path): Value | undefined {
  if (path.length === 0) return target
  return traverse(target, path, (parent, key) => {
    const v = Array.isArray(parent) ? ((i) => (i === undefined ? undefined : parent[i]))(toIndex(parent, key)) : child(parent, key)
    return v === undefined ? undefined : [parent, v]
  })?.[1]
}

function patchAdd(target: Value, path: Path, value: Value): Value | undefined {
  if (path.length === 0) return value
  return traverse(target, path, (parent, key) => {
    if (parent instanceof RegoObject) return [new RegoObject(parent.entries()).set(key, value), undefined]
    if (Array.isArray(parent)) {
      const i = toIndex(parent, key)
      if (i === undefined || i < 0 || i > parent.length) return undefined
      return [[...parent.slice(0, i), value, ...parent.slice(i)], undefined]
    }
    if (parent instanceof RegoSet) {
      // A set member's "key" is the member itself.
      if (!equals(key, value)) return undefined
      return [new RegoSet(parent.values()).add(key), undefined]
    }
    return undefined
  })?.[0]
}

function patchRemove(target: Value, path: Path): [Value, Value] | undefined {
  if (path.length === 0) return undefined
  const r = traverse(target, path, (parent, key) => {
    if (parent instanceof RegoObject) {
      const old = parent.get(key)
      if (old === undefined) return undefined
      const out = new RegoObject(parent.entries())
      out.delete(key)
      return [out, old]
    }
    if (Array.isArray(parent)) {
      const i = toIndex(parent, key)
      if (i === undefined || i < 0 || i >= parent.length) return undefined
      return [[...parent.slice(0, i), ...parent.slice(i + 1)], parent[i]]
    }
    if (parent instanceof RegoSet) {
      if (!parent.has(key)) return undefined
      return [new RegoSet(parent.values().filter((x) => !equals(x, key))), key]
    }
    return undefined
  })
  if (!r || r[1] === undefined) return undefined
  return [r[0], r[1]]
}

function patchAttr(op: RegoObject, name: string): Value {
  const v = op.get(name)
  if (v === undefined) throw new BuiltinError(`operand 2 patch is missing '${name}' attribute`, 'eval_type_error')
  return v
}

function jsonPatch(a: Value[]): Value | undefined {
  let target: Value | undefined = a[0]
  for (const op of arr(a, 1)) {
    if (!(op instanceof RegoObject)) throw new BuiltinError('operand 2 must be an array of JSON-Patch objects', 'eval_type_error')
    const name = patchAttr(op, 'op')
    if (typeof name !== 'string') throw new BuiltinError("operand 2 patch attribute 'op' must be a string", 'eval_type_error')
    const path = parsePath(patchAttr(op, 'path'))
    const t: Value = target as Value
    switch (name) {
      case 'add':
        target = patchAdd(t, path, patchAttr(op, 'value'))
        break
      case 'remove':
        target = patchRemove(t, path)?.[0]
        break
      case 'replace': {
        const value = patchAttr(op, 'value')
        if (path.length === 0) target = value
        else {
          const removed = patchRemove(t, path)
          target = removed && patchAdd(removed[0], path, value)
        }
        break
      }
      case 'move': {
        const from = parsePath(patchAttr(op, 'from'))
        const removed = patchRemove(t, from)
        target = removed && patchAdd(removed[0], path, removed[1])
        break
      }
      case 'copy': {
        const from = parsePath(patchAttr(op, 'from'))
        const value = patchGet(t, from)
        target = value === undefined ? undefined : patchAdd(t, path, value)
        break
      }
      case 'test': {
        const actual = patchGet(t, path)
        target = actual !== undefined && equals(actual, patchAttr(op, 'value')) ? t : undefined
        break
      }
      default:
        throw new BuiltinError('operand 2 must be an array of JSON-Patch objects', 'eval_type_error')
    }
    // Patches apply atomically: one failed operation makes the result undefined.
    if (target === undefined) return undefined
  }
  return target
}

// ---- graphs ----------------------------------------------------------------------------------

/** Vertices of an adjacency entry or of the initial operand: an array's or a set's members, else none. */
function vertices(v: Value | undefined): Value[] {
  if (Array.isArray(v)) return v
  if (v instanceof RegoSet) return v.values()
  return []
}

function initialVertices(a: Value[]): Value[] {
  const v = a[1]
  if (!Array.isArray(v) && !(v instanceof RegoSet)) throw typeError(1, '{array, set}', v)
  return vertices(v)
}

/** Breadth-first from the initial vertices; only vertices present in the graph count as reached. */
function reachable(a: Value[]): RegoSet {
  const graph = obj(a, 0)
  const queue = [...initialVertices(a)]
  const reached = new RegoSet()
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]
    const edges = graph.get(node)
    if (edges === undefined) continue
    for (const next of vertices(edges)) if (!reached.has(next)) queue.push(next)
    reached.add(node)
  }
  return reached
}

/**
 * Depth-first paths as OPA builds them: a path ends at a vertex with no edges, at a vertex
 * already reached from this start (the path stops before repeating it), or before a vertex
 * missing from the graph. `reached` is shared by the whole walk from one start edge.
 */
function buildPaths(graph: RegoObject, root: Value, path: Value[], out: RegoSet, reached: RegoSet): void {
  const edges = graph.get(root)
  if (edges === undefined) {
    out.add(path)
    return
  }
  const here = [...path, root]
  const next = vertices(edges)
  if (next.length === 0) {
    out.add(here)
    return
  }
  for (const n of next) {
    if (reached.has(n)) out.add(here)
    else {
      reached.add(root)
      buildPaths(graph, n, here, out, reached)
    }
  }
}

function reachablePaths(a: Value[]): RegoSet {
  const graph = obj(a, 0)
  const out = new RegoSet()
  for (const node of initialVertices(a)) {
    const edges = graph.get(node)
    if (edges === undefined) continue
    const next = vertices(edges)
    if (next.length === 0) out.add([node])
    for (const n of next) buildPaths(graph, n, [node], out, new RegoSet([node]))
  }
  return out
}

export const builtins: BuiltinDef[] = [
  {
    name: 'array.concat',
    args: ['array[any]', 'array[any]'],
    result: 'array[any]',
    impl: (a) => [...arr(a, 0), ...arr(a, 1)],
  },
  { name: 'array.slice', args: ['array[any]', 'number', 'number'], result: 'array[any]', impl: slice },
  { name: 'array.reverse', args: ['array[any]'], result: 'array[any]', impl: (a) => [...arr(a, 0)].reverse() },
  { name: 'array.flatten', args: ['array[any]'], result: 'array[any]', impl: flatten },
  { name: 'intersection', args: ['set[set[any]]'], result: 'set[any]', impl: intersection },
  { name: 'union', args: ['set[set[any]]'], result: 'set[any]', impl: union },
  { name: 'object.get', args: ['object[any:any]', 'any', 'any'], result: 'any', impl: objectGet },
  {
    name: 'object.keys',
    args: ['object[any:any]'],
    result: 'set[any]',
    impl: (a) => new RegoSet(obj(a, 0).keys()),
  },
  {
    name: 'object.remove',
    args: ['object[any:any]', 'array[any]|object[any:any]|set[any]'],
    result: 'object[any:any]',
    impl: (a) => {
      const o = obj(a, 0)
      const keys = keyParam(a)
      return new RegoObject(o.entries().filter(([k]) => !keys.has(k)))
    },
  },
  {
    name: 'object.filter',
    args: ['object[any:any]', 'array[any]|object[any:any]|set[any]'],
    result: 'object[any:any]',
    impl: (a) => {
      const o = obj(a, 0)
      const keys = keyParam(a)
      return new RegoObject(o.entries().filter(([k]) => keys.has(k)))
    },
  },
  {
    name: 'object.union',
    args: ['object[any:any]', 'object[any:any]'],
    result: 'any',
    impl: (a) => mergeObjects(obj(a, 0), obj(a, 1)),
  },
  { name: 'object.union_n', args: ['array[object[any:any]]'], result: 'any', impl: unionN },
  {
    name: 'object.subset',
    args: ['array[any]|object[any:any]|set[any]', 'array[any]|object[any:any]|set[any]'],
    result: 'any',
    impl: subset,
  },
  {
    name: 'json.filter',
    args: ['object[any:any]', 'array[array[any]|string]|set[array[any]|string]'],
    result: 'any',
    impl: (a) => {
      const o = obj(a, 0)
      return filterValue(o, pathsToTree(pathsParam(a)))
    },
  },
  {
    name: 'json.remove',
    args: ['object[any:any]', 'array[array[any]|string]|set[array[any]|string]'],
    result: 'any',
    impl: (a) => {
      const o = obj(a, 0)
      return removeValue(o, pathsToTree(pathsParam(a)))
    },
  },
  { name: 'graph.reachable', args: ['object[any:array[any]|set[any]]', 'array[any]|set[any]'], result: 'set[any]', impl: reachable },
  {
    name: 'graph.reachable_paths',
    args: ['object[any:array[any]|set[any]]', 'array[any]|set[any]'],
    result: 'set[array[any]]',
    impl: reachablePaths,
  },
  {
    name: 'json.patch',
    args: ['any', 'array[object[string:any]]'],
    result: 'any',
    impl: jsonPatch,
  },
]
