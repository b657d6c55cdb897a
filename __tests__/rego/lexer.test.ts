import { describe, expect, it } from '@jest/globals'
import { tokenize } from '../../src/rego/lexer.js'
import { RegoErrors } from '../../src/rego/errors.js'

const kinds = (src: string) => tokenize('f.rego', src).tokens.map((t) => `${t.kind}:${t.text}`)

describe('tokenize', () => {
  it('splits operators longest first and keeps keywords apart from names', () => {
    expect(kinds('x := y == z != w <= 1')).toEqual(['ident:x', 'op::=', 'ident:y', 'op:==', 'ident:z', 'op:!=', 'ident:w', 'op:<=', 'number:1', 'eof:'])
    expect(kinds('some x in xs')).toEqual(['keyword:some', 'ident:x', 'keyword:in', 'ident:xs', 'eof:'])
  })

  it('treats keywords next to a dot as names (input.in, else.foo)', () => {
    expect(kinds('input.in else.foo not x')).toEqual(['ident:input', 'op:.', 'ident:in', 'ident:else', 'op:.', 'ident:foo', 'keyword:not', 'ident:x', 'eof:'])
  })

  it('records whitespace and line breaks before each token, and positions', () => {
    const { tokens } = tokenize('f.rego', 'a[b]\n  c [d]')
    expect(tokens.map((t) => [t.text, t.ws, t.nl, t.loc.row, t.loc.col])).toEqual([
      ['a', false, false, 1, 1],
      ['[', false, false, 1, 2],
      ['b', false, false, 1, 3],
      [']', false, false, 1, 4],
      ['c', true, true, 2, 3],
      ['[', true, false, 2, 5],
      ['d', false, false, 2, 6],
      [']', false, false, 2, 7],
      ['', false, false, 2, 8]
    ])
  })

  it('reads numbers, escaped and raw strings, and keeps comments', () => {
    const { tokens, comments } = tokenize('f.rego', '1.5e-3 "a\\tb\\u0041" `raw\nline` # note\nx')
    expect(tokens.slice(0, 3).map((t) => [t.kind, t.text, t.raw ?? false])).toEqual([
      ['number', '1.5e-3', false],
      ['string', 'a\tbA', false],
      ['string', 'raw\nline', true]
    ])
    expect(tokens[3]).toMatchObject({ text: 'x', loc: { row: 3, col: 1 }, nl: true })
    expect(comments).toEqual([{ text: ' note', loc: { file: 'f.rego', row: 2, col: 7 } }])
  })

  it('splits template strings into text and expression sources with their positions', () => {
    const [t] = tokenize('f.rego', '$"a {x["}"]} \\{y} {{1}}"').tokens
    expect(t.kind).toBe('template')
    expect(t.parts).toEqual(['a ', { source: 'x["}"]', loc: { file: 'f.rego', row: 1, col: 6 }, offset: 5 }, ' {y} ', { source: '{1}', loc: { file: 'f.rego', row: 1, col: 20 }, offset: 19 }])
  })

  it('skips a byte-order mark at the start of a file', () => {
    expect(tokenize('f.rego', '\ufeffpackage p').tokens[0]).toMatchObject({ kind: 'keyword', text: 'package', loc: { row: 1, col: 1 } })
  })

  it('fails with located parse errors on bad text', () => {
    for (const [src, msg] of [
      ['"abc', 'non-terminated string'],
      ['"\\q"', 'invalid escape'],
      ['x ! y', 'illegal token'],
      ['`abc', 'non-terminated raw string'],
      ['12abc', 'after number']
    ]) {
      let err: unknown
      try {
        tokenize('f.rego', src)
      } catch (e) {
        err = e
      }
      expect(err).toBeInstanceOf(RegoErrors)
      expect((err as RegoErrors).code).toBe('rego_parse_error')
      expect((err as RegoErrors).message).toContain(msg)
    }
  })
})
