/**
 * PEM blocks (as Go's encoding/pem reads them) and a minimal DER reader: enough to split
 * concatenated certificates and to read X.509 names, which node:crypto does not expose in
 * structured form. Shared by the crypto.* and io.jwt.* builtins.
 */

export interface PemBlock {
  type: string
  der: Buffer
  /** What follows the block's END line. */
  rest: string
}

/**
 * The first PEM block in `text`, or undefined when there is none (Go's pem.Decode): text
 * before the BEGIN line is skipped, header lines (`Key: value`) are ignored, and the END
 * line must carry nothing but whitespace after it.
 */
export function pemDecode(text: string): PemBlock | undefined {
  let from = 0
  for (;;) {
    const re = /-----BEGIN ([^\n-]*)-----[ \t\r]*\n/g
    re.lastIndex = from
    const begin = re.exec(text)
    if (!begin) return undefined
    const type = begin[1]
    const bodyStart = begin.index + begin[0].length
    const endMarker = `-----END ${type}-----`
    const endIdx = text.indexOf(endMarker, bodyStart)
    from = bodyStart
    if (endIdx < 0) continue
    const body = text
      .slice(bodyStart, endIdx)
      .split('\n')
      .filter((l) => !l.includes(':'))
      .join('')
      .replace(/\s+/g, '')
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) continue
    const after = text.slice(endIdx + endMarker.length)
    const nl = after.indexOf('\n')
    const line = nl < 0 ? after : after.slice(0, nl)
    if (line.trim() !== '') continue
    return { type, der: Buffer.from(body, 'base64'), rest: nl < 0 ? '' : after.slice(nl + 1) }
  }
}

/** Every PEM block in order. */
export function pemDecodeAll(text: string): PemBlock[] {
  const out: PemBlock[] = []
  let rest = text
  for (;;) {
    const b = pemDecode(rest)
    if (!b) return out
    out.push(b)
    rest = b.rest
  }
}

/** Go's base64.StdEncoding.DecodeString: strict padding; errors name the first bad byte. */
export function base64StdDecode(s: string): Buffer {
  const clean = s.replace(/[\r\n]/g, '')
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i]
    if (c === '=') {
      if (clean.length % 4 !== 0 || i < clean.length - 2 || (i === clean.length - 2 && clean[i + 1] !== '=')) {
        throw new Error(`illegal base64 data at input byte ${i}`)
      }
      break
    }
    if (!/[A-Za-z0-9+/]/.test(c)) throw new Error(`illegal base64 data at input byte ${i}`)
  }
  if (clean.length % 4 !== 0) throw new Error(`illegal base64 data at input byte ${clean.length - (clean.length % 4)}`)
  return Buffer.from(clean, 'base64')
}

// ---- DER ----

export interface TLV {
  tag: number
  /** Offsets into the buffer: the whole element, and its contents. */
  start: number
  contentStart: number
  end: number
}

export class DERError extends Error {}

/** Reads one element at `off`; throws DERError when it does not fit. */
export function readTLV(buf: Buffer, off: number, limit = buf.length): TLV {
  if (off + 2 > limit) throw new DERError('truncated element')
  const tag = buf[off]
  if ((tag & 0x1f) === 0x1f) throw new DERError('multi-byte tags are not supported')
  let len = buf[off + 1]
  let p = off + 2
  if (len & 0x80) {
    const n = len & 0x7f
    if (n === 0 || n > 4 || p + n > limit) throw new DERError('bad length')
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i]
    p += n
  }
  if (p + len > limit) throw new DERError('truncated element')
  return { tag, start: off, contentStart: p, end: p + len }
}

/** The elements directly inside a constructed element. */
export function children(buf: Buffer, parent: TLV): TLV[] {
  const out: TLV[] = []
  let p = parent.contentStart
  while (p < parent.end) {
    const t = readTLV(buf, p, parent.end)
    out.push(t)
    p = t.end
  }
  return out
}

/** Top-level elements of a buffer (e.g. concatenated DER certificates). */
export function topLevel(buf: Buffer): TLV[] {
  const out: TLV[] = []
  let p = 0
  while (p < buf.length) {
    const t = readTLV(buf, p)
    out.push(t)
    p = t.end
  }
  return out
}

export function oidArcs(buf: Buffer, t: TLV): number[] {
  const arcs: number[] = []
  let v = 0
  for (let i = t.contentStart; i < t.end; i++) {
    v = v * 128 + (buf[i] & 0x7f)
    if (!(buf[i] & 0x80)) {
      if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80)
      else arcs.push(v)
      v = 0
    }
  }
  return arcs
}

function stringValue(buf: Buffer, t: TLV): string {
  const b = buf.subarray(t.contentStart, t.end)
  switch (t.tag) {
    case 0x1e: {
      // BMPString: UCS-2 big-endian
      let s = ''
      for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode(b.readUInt16BE(i))
      return s
    }
    case 0x14: // T61String, read as Latin-1 like Go
      return b.toString('latin1')
    default:
      return b.toString('utf8')
  }
}

const NAME_FIELDS: Record<string, string> = {
  '2.5.4.6': 'Country',
  '2.5.4.10': 'Organization',
  '2.5.4.11': 'OrganizationalUnit',
  '2.5.4.7': 'Locality',
  '2.5.4.8': 'Province',
  '2.5.4.9': 'StreetAddress',
  '2.5.4.17': 'PostalCode',
}

/** An X.509 Name as Go's pkix.Name marshals to JSON. */
export function pkixName(buf: Buffer, name: TLV): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Country: null,
    Organization: null,
    OrganizationalUnit: null,
    Locality: null,
    Province: null,
    StreetAddress: null,
    PostalCode: null,
    SerialNumber: '',
    CommonName: '',
    Names: [] as unknown[],
    ExtraNames: null,
  }
  const names: unknown[] = []
  for (const rdn of children(buf, name)) {
    for (const atv of children(buf, rdn)) {
      const [oidT, valT] = children(buf, atv)
      if (!oidT || !valT) throw new DERError('bad attribute')
      const arcs = oidArcs(buf, oidT)
      const value = stringValue(buf, valT)
      names.push({ Type: arcs, Value: value })
      const oid = arcs.join('.')
      if (oid === '2.5.4.3') out.CommonName = value
      else if (oid === '2.5.4.5') out.SerialNumber = value
      else if (NAME_FIELDS[oid]) {
        const f = NAME_FIELDS[oid]
        out[f] = [...((out[f] as string[] | null) ?? []), value]
      }
    }
  }
  out.Names = names.length ? names : null
  return out
}
