import { describe, expect, test } from '@jest/globals'
import { canonicalize, CanonicalizationError, isCanonicalText } from '../../src/evidence/canonical.js'

// Vectors written from the text of RFC 8785 (§3.2.2, §3.2.3 and Appendix B).
function fromBits(hex: string): number {
  const buf = Buffer.from(hex, 'hex')
  return buf.readDoubleBE(0)
}

describe('RFC 8785 canonicalisation', () => {
  test('§3.2.2 example: numbers, string escapes and literals', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}'
    )
    expect(canonicalize(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
    )
  })

  test('§3.2.3 example: keys sorted by UTF-16 code units', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis'
    }
    // (Object.keys would put the integer-like key "1" first; read the order from the text instead.)
    const text = canonicalize(input)
    const order = ['"\\r"', '"1"', '"\u0080"', '"\u00f6"', '"\u20ac"', '"\ud83d\ude00"', '"\ufb33"'].map((k) => text.indexOf(k + ':'))
    expect(order.every((pos, i) => pos >= 0 && (i === 0 || pos > order[i - 1]!))).toBe(true)
    expect(canonicalize(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis","€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}'
    )
  })

  test('Appendix B number serialisation', () => {
    const vectors: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
      ['43143ff3c1cb0959', '1424953923781206.2']
    ]
    for (const [bits, text] of vectors) expect([bits, canonicalize(fromBits(bits))]).toEqual([bits, text])
  })

  test('NaN and Infinity are rejected', () => {
    expect(() => canonicalize(fromBits('7fffffffffffffff'))).toThrow(CanonicalizationError)
    expect(() => canonicalize(fromBits('7ff0000000000000'))).toThrow(/Infinity/)
    expect(() => canonicalize({ a: [1, -Infinity] })).toThrow(/\$\.a\[1\]/)
  })

  test('control characters use the short escapes or lower-case \\u00xx', () => {
    expect(canonicalize('\b\t\n\f\r\u0000\u001f\u007f')).toBe('"\\b\\t\\n\\f\\r\\u0000\\u001f\u007f"')
  })

  test('lone surrogates are rejected; pairs are kept as is', () => {
    expect(() => canonicalize('a\ud800b')).toThrow(/lone high surrogate/)
    expect(() => canonicalize({ ['\udc00']: 1 })).toThrow(/lone low surrogate/)
    expect(canonicalize('\ud83d\ude00')).toBe('"😀"')
  })

  test('nested structures, no whitespace, undefined members dropped, non-JSON rejected', () => {
    expect(canonicalize({ b: [1, { d: 2, c: 'x' }], a: {}, z: undefined })).toBe('{"a":{},"b":[1,{"c":"x","d":2}]}')
    expect(() => canonicalize({ a: new Date(0) })).toThrow(/Date/)
    expect(() => canonicalize({ a: () => 1 })).toThrow(/function/)
    expect(() => canonicalize(10n)).toThrow(/bigint/)
  })
})

describe('isCanonicalText', () => {
  const check = (text: string) => isCanonicalText(text, JSON.parse(text))
  test('accepts canonical text, including integer-like keys (slow path)', () => {
    expect(check('{"a":1,"b":[true,null,"x"],"c":{"d":0.5}}')).toBe(true)
    expect(check('{"10":1,"9":2}')).toBe(true)
    expect(check('"\\u001f"')).toBe(true)
  })
  test('rejects whitespace, unsorted keys, non-minimal escapes and numbers, surrogate escapes', () => {
    for (const t of ['{"a": 1}', '{"b":1,"a":2}', '{"9":2,"10":1}', '"\\/"', '"\\u0041"', '1.0', '1e2', '"\\ud83d\\ude00"', '"\\u001F"', '{"a":{"c":1,"b":2}}']) {
      expect([t, check(t)]).toEqual([t, false])
    }
  })
})

describe('isCanonicalText agrees with full canonicalisation', () => {
  // Reference: the text is canonical exactly when canonicalize(JSON.parse(text)) reproduces it.
  const reference = (text: string) => {
    try {
      return canonicalize(JSON.parse(text)) === text
    } catch {
      return false
    }
  }
  // A small deterministic generator (mulberry32), so a failure is reproducible.
  let state = 12345
  const rnd = () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const strings = ['', 'a', 'b', 'ab', '10', '9', 'é', '\u2028', '\u007f', 'x"y', 'a\\b', '\n', '\u0001', '\u001f', 'a/b', '😀']
  const numbers = [0, -1, 1.5, 1e21, 1e-7, 123456789, -0.25, 2 ** 53]
  const value = (depth: number): unknown => {
    const r = rnd()
    if (depth > 3 || r < 0.4) return pick<unknown>([null, true, false, pick(numbers), pick(strings)])
    if (r < 0.7) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1))
    const o: Record<string, unknown> = {}
    for (let i = Math.floor(rnd() * 4); i > 0; i--) o[pick(strings)] = value(depth + 1)
    return o
  }
  // Edits that keep the text JSON but may break canonical form.
  const edits: ((t: string) => string)[] = [
    (t) => t.replace(',', ', '),
    (t) => t.replace(':', ' :'),
    (t) => ` ${t}`,
    (t) => `${t}\n`,
    (t) => t.replace('\\n', '\\u000a'),
    (t) => t.replace('\\u001f', '\\u001F'),
    (t) => t.replace('/', '\\/'),
    (t) => t.replace('"a"', '"\\u0061"'),
    (t) => t.replace('1.5', '1.50'),
    (t) => t.replace('1e+21', '1E+21'),
    (t) => t.replace('0,', '-0,'),
    (t) => t.replace('123456789', '123456789.0'),
    (t) => t.replace('😀', '\\ud83d\\ude00'),
    (t) => t.replace(/\{"([^"]*)":([^,{}[\]]*),"([^"]*)":/, '{"$3":$2,"$1":'),
    (t) => t.replace(/\{"([^"]*)":/, '{"$1":1,"$1":')
  ]
  test('on thousands of generated canonical texts and edits of them', () => {
    let edited = 0
    for (let i = 0; i < 3000; i++) {
      const text = canonicalize(value(0))
      expect([text, isCanonicalText(text, JSON.parse(text))]).toEqual([text, true])
      for (const edit of edits) {
        const t = edit(text)
        if (t === text) continue
        let parsed: unknown
        try {
          parsed = JSON.parse(t)
        } catch {
          continue
        }
        edited++
        expect([t, isCanonicalText(t, parsed)]).toEqual([t, reference(t)])
      }
    }
    expect(edited).toBeGreaterThan(1000)
  })
  test('raw lone surrogates and escaped pairs are rejected; raw pairs accepted', () => {
    expect(isCanonicalText('"\ud800"', JSON.parse('"\ud800"'))).toBe(false)
    expect(isCanonicalText('"\\ud800"', JSON.parse('"\\ud800"'))).toBe(false)
    expect(isCanonicalText('"😀"', '😀')).toBe(true)
    expect(isCanonicalText('{"😀":1,"a":2}', JSON.parse('{"😀":1,"a":2}'))).toBe(false)
    expect(isCanonicalText('{"a":2,"😀":1}', JSON.parse('{"a":2,"😀":1}'))).toBe(true)
  })
})
