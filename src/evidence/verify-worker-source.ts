import { CANONICAL_SCAN_SOURCE } from './canonical-scan.js'
import { RECORD_SHAPE_SOURCE } from './schema-check.js'

/**
 * The code a verification worker runs, as a string: worker threads are started with
 * `eval: true`, so the same code works from TypeScript sources, tests and the bundled CLI without
 * a separate worker file. It checks each record on its own (JSON, canonical form, schema, hash);
 * the main thread checks what links records (seq, prev_hash, stream, change_id) in order.
 * The schema check is ajv's standalone code for the record schema, generated in the main thread.
 */
export const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads')
const crypto = require('node:crypto')
const sha256 = crypto.hash ? (b) => crypto.hash('sha256', b, 'hex') : (b) => crypto.createHash('sha256').update(b).digest('hex')
function ucs2length(str) {
  let n = 0, i = 0
  while (i < str.length) {
    n++
    const c = str.charCodeAt(i++)
    if (c >= 0xd800 && c <= 0xdbff && i < str.length) {
      const d = str.charCodeAt(i)
      if ((d & 0xfc00) === 0xdc00) i++
    }
  }
  return n
}
const mod = { exports: {} }
new Function('module', 'exports', 'require', workerData.validatorSource)(mod, mod.exports, (id) => {
  if (id === 'ajv/dist/runtime/ucs2length') return { default: ucs2length }
  throw new Error('unexpected require ' + id)
})
const validate = mod.exports.default || mod.exports
function canonicalString(s) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const n = s.charCodeAt(i + 1)
      if (n >= 0xdc00 && n <= 0xdfff) { i++; continue }
      throw new Error('lone surrogate')
    }
    if (c >= 0xdc00 && c <= 0xdfff) throw new Error('lone surrogate')
  }
  return JSON.stringify(s)
}
function canonicalize(v) {
  if (v === null) return 'null'
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'number') { if (!Number.isFinite(v)) throw new Error('not finite'); return JSON.stringify(v) }
  if (typeof v === 'string') return canonicalString(v)
  if (Array.isArray(v)) return '[' + v.map(canonicalize).join(',') + ']'
  const keys = Object.keys(v).sort()
  return '{' + keys.map((k) => canonicalString(k) + ':' + canonicalize(v[k])).join(',') + '}'
}
${CANONICAL_SCAN_SOURCE}
${RECORD_SHAPE_SOURCE}
function isCanonicalText(text, parsed) {
  const scanned = scanCanonical(text)
  if (scanned !== null) return scanned
  try { return canonicalize(parsed) === text } catch { return false }
}
function problems(errors) {
  return (errors || []).map((e) => {
    const where = e.instancePath || '(record)'
    const extra = e.keyword === 'additionalProperties' ? " '" + String(e.params.additionalProperty) + "'" : ''
    const allowed = e.keyword === 'enum' ? ' (' + JSON.stringify(e.params.allowedValues) + ')' : ''
    return where + ': ' + e.message + extra + allowed
  })
}
// Results go back packed (hashes and prev_hashes as one string each, seqs in a typed array) so
// the main thread does not pay for cloning one object per record.
parentPort.on('message', ({ id, buffer, offsets, seqs }) => {
  const all = Buffer.from(buffer)
  const n = seqs.length
  const hashes = [], prevs = [], streams = [], ids = []
  const recSeqs = new Float64Array(n)
  const errors = []
  for (let i = 0; i < n; i++) {
    const seq = seqs[i]
    const bytes = all.subarray(offsets[i], offsets[i + 1])
    const text = bytes.toString('utf8')
    let parsed
    try { parsed = JSON.parse(text) } catch (err) {
      errors.push({ i, code: 'not_json', message: 'record ' + seq + ' is not valid JSON (' + err.message + '): it was altered' }); break
    }
    if (!isCanonicalText(text, parsed)) {
      errors.push({ i, code: 'not_canonical', message: 'record ' + seq + ' is not stored in RFC 8785 canonical form: its bytes were edited after it was written' }); break
    }
    if (!recordShapeOk(parsed) && !validate(parsed)) {
      errors.push({ i, code: 'schema', message: 'record ' + seq + ' does not match the record schema: ' + problems(validate.errors).slice(0, 3).join('; ') }); break
    }
    hashes.push(sha256(bytes)); prevs.push(parsed.prev_hash); streams.push(parsed.stream); ids.push(parsed.change_id); recSeqs[i] = parsed.seq
  }
  parentPort.postMessage({ id, hashes: hashes.join(''), prevs: prevs.join(''), streams, ids, seqs: recSeqs, errors }, [recSeqs.buffer])
})
`
