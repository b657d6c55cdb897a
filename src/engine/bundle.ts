/**
 * Reads what `opa build -t wasm` produces: a `bundle.tar.gz` holding `/policy.wasm`,
 * `/data.json` files (at any depth: `a/b/data.json` is `data.a.b`) and an optional `/.manifest`,
 * or a bare `policy.wasm`. Only the bytes are read here; nothing is executed.
 */
import { gunzipSync } from 'node:zlib'
import { PolicyEngineError } from './types.js'

export interface WasmBundle {
  wasm: Uint8Array
  /** The bundle's base documents, merged into one tree. */
  data: Record<string, unknown>
  manifest?: Record<string, unknown>
}

const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d]

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b)
}

function loadError(message: string, cause?: unknown): PolicyEngineError {
  return new PolicyEngineError('load_error', message, { cause })
}

/** Parses a bundle from its bytes: a gzipped tar, or a bare Wasm module. */
export function readBundle(bytes: Uint8Array, name: string): WasmBundle {
  if (startsWith(bytes, WASM_MAGIC)) return { wasm: bytes, data: {} }
  if (!startsWith(bytes, [0x1f, 0x8b])) {
    throw loadError(
      `${name} is neither a Wasm module nor a gzipped tar bundle. Fix: pass the bundle.tar.gz made by 'opa build -t wasm -e change_gate/main/decision', or its policy.wasm.`
    )
  }
  let tar: Buffer
  try {
    tar = gunzipSync(bytes)
  } catch (err) {
    throw loadError(`${name} could not be decompressed (${(err as Error).message}). Fix: rebuild the bundle with 'opa build -t wasm'.`, err)
  }
  const files = readTar(tar, name)
  const wasmFiles = [...files.keys()].filter((p) => p.endsWith('.wasm'))
  if (wasmFiles.length !== 1) {
    throw loadError(
      `${name} holds ${wasmFiles.length} Wasm modules (${wasmFiles.join(', ') || 'none'}); exactly one is supported. Fix: build with 'opa build -t wasm' and one target.`
    )
  }
  const data: Record<string, unknown> = {}
  let manifest: Record<string, unknown> | undefined
  for (const [path, content] of files) {
    const base = path.split('/').pop()
    if (base === 'data.json') {
      const dirs = path.split('/').slice(0, -1).filter(Boolean)
      mergeInto(data, dirs, parseJSON(content, `${name}:${path}`))
    } else if (base === '.manifest') {
      manifest = parseJSON(content, `${name}:${path}`) as Record<string, unknown>
    }
  }
  return { wasm: files.get(wasmFiles[0]) as Uint8Array, data, manifest }
}

function parseJSON(content: Uint8Array, where: string): unknown {
  try {
    return JSON.parse(Buffer.from(content).toString('utf8'))
  } catch (err) {
    throw loadError(`${where} is not valid JSON (${(err as Error).message}). Fix: rebuild the bundle.`, err)
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Merges `value` at `path` into `target`; objects merge key by key, anything else must not collide. */
export function mergeInto(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target
  for (const key of path) {
    if (!isPlainObject(node[key])) node[key] = {}
    node = node[key] as Record<string, unknown>
  }
  if (!isPlainObject(value)) {
    throw loadError(`data at /${path.join('/')} must be a JSON object to merge, got ${JSON.stringify(value).slice(0, 40)}.`)
  }
  for (const [k, v] of Object.entries(value)) {
    if (isPlainObject(v) && isPlainObject(node[k])) mergeInto(node, [k], v)
    else node[k] = v
  }
}

/** A minimal ustar/GNU/pax reader: regular files only, paths normalised without a leading `/`. */
function readTar(tar: Buffer, name: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>()
  let offset = 0
  let longName: string | undefined
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512)
    if (header.every((b) => b === 0)) break
    const field = (start: number, length: number): string =>
      header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '')
    const size = parseInt(field(124, 12).trim() || '0', 8)
    if (!Number.isFinite(size) || size < 0) throw loadError(`${name}: corrupt tar header at byte ${offset}.`)
    const type = String.fromCharCode(header[156] || 0x30)
    const prefix = field(345, 155)
    const body = tar.subarray(offset + 512, offset + 512 + size)
    if (body.length !== size) throw loadError(`${name}: the tar archive is truncated. Fix: rebuild the bundle.`)
    let path = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100))
    longName = undefined
    if (type === 'L') {
      longName = body.toString('utf8').replace(/\0.*$/s, '')
    } else if (type === 'x') {
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))
      if (m) longName = m[1]
    } else if (type === '0' || type === '\0' || type === '7') {
      path = path.replace(/^\.?\/+/, '')
      files.set(path, new Uint8Array(body))
    }
    offset += 512 + Math.ceil(size / 512) * 512
  }
  return files
}
