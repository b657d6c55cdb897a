import { describe, expect, test } from '@jest/globals'
import { builtins } from '../../../src/rego/builtins/strings.js'
import { caller, set as s } from './support.js'
import { fromJSON, RegoObject, type Value } from '../../../src/rego/value.js'

const call = caller(builtins)
const fmt = (f: string, ...args: Value[]) => call('sprintf', f, args)

describe('sprintf follows Go fmt', () => {
  test('integers: width, zero padding, signs, bases', () => {
    expect(fmt('hi %02d', 5)).toBe('hi 05')
    expect(fmt('hi %02X.%02X', 127, 1)).toBe('hi 7F.01')
    expect(fmt('%+d|% d|%-4d|%4d', 5, 5, 5, -5)).toBe('+5| 5|5   |  -5')
    expect(fmt('%x %#x %#08x %o %b %c %U', 255, 255, 255, 8, 5, 65, 0x1f600)).toBe('ff 0xff 0x000000ff 10 101 A U+1F600')
    expect(fmt('%.3d', 7)).toBe('007')
  })
  test('floats: %f rounds exactly (half to even on exact ties), %e, %g, %v shortest', () => {
    expect(fmt('%.2f', 3.14159)).toBe('3.14')
    expect(fmt('%.2f', 0.125)).toBe('0.12')
    expect(fmt('%.2f', 2.675)).toBe('2.67')
    expect(fmt('%f', 1.5)).toBe('1.500000')
    expect(fmt('%8.3f|%-8.2f|%08.2f', 3.14159, 2.5, -2.5)).toBe('   3.142|2.50    |-0002.50')
    expect(fmt('%e', 1234.5678)).toBe('1.234568e+03')
    expect(fmt('%.3g|%g|%g', 1234.5678, 0.00001, 0.0001)).toBe('1.23e+03|1e-05|0.0001')
    expect(fmt('%v %v', 3.14, 123456789.5)).toBe('3.14 1.234567895e+08')
    expect(fmt('%6.2f%%', 99.5)).toBe(' 99.50%')
  })
  test('integral numbers are Go ints: %d works, %f is a bad verb', () => {
    expect(fmt('%d %v', 3, 1e20)).toBe('3 100000000000000000000')
    expect(fmt('%f', 5)).toBe('%!f(int=5)')
    expect(fmt('%d', 1.5)).toBe('%!d(float64=1.5)')
  })
  test('strings and the Rego text of other values', () => {
    expect(fmt('%s|%5s|%-5s|%.2s', 'ab', 'ab', 'ab', 'abc')).toBe('ab|   ab|ab   |ab')
    expect(fmt('%q', 'hi\n"x"')).toBe('"hi\\n\\"x\\""')
    expect(fmt('%x %X', 'hi', 'hi')).toBe('6869 6869')
    expect(fmt('hi %v', ['there', 5, 3.14])).toBe('hi ["there", 5, 3.14]')
    expect(fmt('%v %s %v', true, null, s(1, 2))).toBe('true null {1, 2}')
    expect(fmt('%v', new RegoObject([['a', 1]]))).toBe('{"a": 1}')
    expect(fmt('%t', true)).toBe('%!t(string=true)')
    expect(fmt('%d', 'x')).toBe('%!d(string=x)')
  })
  test('missing and extra arguments, %%, argument indexes, * width', () => {
    expect(fmt('%d %d', 1)).toBe('1 %!d(MISSING)')
    expect(fmt('%d', 1, 'a')).toBe('1%!(EXTRA string=a)')
    expect(fmt('100%%')).toBe('100%')
    expect(fmt('%[2]s %[1]s', 'a', 'b')).toBe('b a')
    expect(fmt('%*d', 4, 7)).toBe('   7')
    expect(fmt('%')).toBe('%!(NOVERB)')
    expect(() => call('sprintf', '%d', 1)).toThrow('operand 2 must be array but got number')
  })
})

describe('string builtins', () => {
  test('concat over arrays and sets; split', () => {
    expect(call('concat', '/', ['', 'foo', 'bar'])).toBe('/foo/bar')
    expect(call('concat', ',', s('b', 'a'))).toBe('a,b')
    expect(() => call('concat', ',', [1])).toThrow('operand 2 must be array of strings but got array containing number')
    expect(call('split', 'foo.bar.baz', '.')).toEqual(['foo', 'bar', 'baz'])
    expect(call('split', '', ',')).toEqual([''])
    expect(call('split', 'a😀', '')).toEqual(['a', '😀'])
  })
  test('trims work on code points; trim_space on Go spaces', () => {
    expect(call('trim', '...foo.bar...', '.fr')).toBe('oo.ba')
    expect(call('trim', '¡¡¡foo, bar!!!', '!¡')).toBe('foo, bar')
    expect(call('trim_left', '¡¡¡foo, bar!!!', '!¡')).toBe('foo, bar!!!')
    expect(call('trim_right', '¡¡¡foo, bar!!!', '!¡')).toBe('¡¡¡foo, bar')
    expect(call('trim_prefix', '¡¡¡foo, bar', '¡¡¡foo')).toBe(', bar')
    expect(call('trim_suffix', 'foo, bar!!!', ', bar!!!')).toBe('foo')
    expect(call('trim_space', ' \t\n foo, bar \n\t\r\n')).toBe('foo, bar')
    expect(call('trim_space', '\uFEFFx')).toBe('\uFEFFx')
  })
  test('replace, replace_n in key order without rescanning', () => {
    expect(call('replace', 'foo...bar', '..', ',,')).toBe('foo,,.bar')
    expect(call('replace', 'ab', '', '-')).toBe('-a-b-')
    expect(call('strings.replace_n', fromJSON({ old1: 'new1', old2: 'new2' }), 'old1 old2 new1')).toBe('new1 new2 new1')
    expect(call('strings.replace_n', fromJSON({ a: 'b', b: 'a' }), 'ab')).toBe('ba')
    expect(() => call('strings.replace_n', new RegoObject([[2, 'x']]), 'foo')).toThrow('operand 1 non-string key found in pattern object')
    expect(() => call('strings.replace_n', fromJSON({ f: 100 }), 'foo')).toThrow('operand 1 non-string value found in pattern object')
  })
  test('indexof, indexof_n and substring count code points', () => {
    expect(call('indexof', 'abcdefgh', 'xyz')).toBe(-1)
    expect(call('indexof', '🍧🍨🧁🍰🍮', '🍮')).toBe(4)
    expect(call('indexof', 'skön var våren', 'vår')).toBe(9)
    expect(call('indexof_n', '😇😀😇😀😇😀', '😀')).toEqual([1, 3, 5])
    expect(call('indexof_n', 'aaa', 'aa')).toEqual([0, 1])
    expect(call('substring', 'abcdefgh', 2, 3)).toBe('cde')
    expect(call('substring', 'aåäö', 2, -1)).toBe('äö')
    expect(call('substring', 'åäö', 3, -1)).toBe('')
    expect(call('substring', 'abcdefgh', 2, 10000)).toBe('cdefgh')
    expect(() => call('substring', 'aaa', -1, -1)).toThrow('negative offset')
  })
  test('predicates, count, reverse, format_int', () => {
    expect(call('contains', 'abcdefgh', 'defg')).toBe(true)
    expect(call('contains', 'abcdefgh', 'ac')).toBe(false)
    expect(call('startswith', 'abc', 'ab')).toBe(true)
    expect(call('endswith', 'abc', 'ab')).toBe(false)
    expect(call('strings.count', '11111', '11')).toBe(2)
    expect(call('strings.count', 'dummy', '')).toBe(6)
    expect(call('strings.reverse', '1😀𝛾')).toBe('𝛾😀1')
    expect(() => call('strings.reverse', 1)).toThrow('operand 1 must be string but got number')
    expect(call('format_int', 15.5, 16)).toBe('f')
    expect(call('format_int', -10, 2)).toBe('-1010')
    expect(() => call('format_int', 4.1, 199)).toThrow('operand 2 must be one of {2, 8, 10, 16}')
  })
  test('any_prefix_match / any_suffix_match take strings, arrays or sets', () => {
    expect(call('strings.any_prefix_match', ['a/b/c', 'e/f/g'], ['x/', 'e/'])).toBe(true)
    expect(call('strings.any_prefix_match', 'a/b/c', s('b/'))).toBe(false)
    expect(call('strings.any_suffix_match', s('a/b/c'), '/c')).toBe(true)
    expect(() => call('strings.any_prefix_match', [1], ['a'])).toThrow('operand 1 must be array of strings but got array containing number')
    expect(() => call('strings.any_suffix_match', ['a'], 1)).toThrow('operand 2 must be one of {string, set, array} but got number')
  })
  test('render_template: fields, range with index, if/else, missing keys', () => {
    const vars = (x: unknown) => fromJSON(x)
    expect(call('strings.render_template', '{{.test}}', vars({ test: 'hello world' }))).toBe('hello world')
    expect(call('strings.render_template', '{{.test}}', vars({ test: 2023 }))).toBe('2023')
    expect(
      call('strings.render_template', '{{range $i, $name := .hellonames}}{{if $i}},{{end}}hello {{$name}}{{end}}', vars({ hellonames: ['rohan', 'john doe'] }))
    ).toBe('hello rohan,hello john doe')
    expect(call('strings.render_template', 'test {{.foo}} {{.bar}} {{.baz}}', vars({ baz: 1 }))).toBe('test <undefined> <undefined> 1')
    expect(call('strings.render_template', '{{if eq .a "x"}}yes{{else if .b}}b{{else}}no{{end}}', vars({ a: 'y', b: false }))).toBe('no')
    expect(call('strings.render_template', '{{- range .xs }} {{ . }} {{- end }}|{{len .xs}}', vars({ xs: [1, 2] }))).toBe(' 1 2|2')
    expect(call('strings.render_template', '{{with .o}}{{.k}}{{end}} {{.o}} {{printf "%03d" 7}}', vars({ o: { k: 'v' } }))).toBe('v map[k:v] 007')
    expect(() => call('strings.render_template', '{{.a', vars({}))).toThrow(/unclosed action/)
    expect(() => call('strings.render_template', '{{template "x"}}', vars({}))).toThrow(/not supported/)
  })
})

describe('case mapping and templates like Go', () => {
  test('upper/lower map rune by rune without expansions', () => {
    expect(call('upper', 'AbCdEf')).toBe('ABCDEF')
    expect(call('lower', 'AbCdEf')).toBe('abcdef')
    expect(call('upper', 'straße')).toBe('STRAßE')
    expect(call('lower', 'İΣ')).toBe('iσ')
    expect(call('upper', 'åäö')).toBe('ÅÄÖ')
  })
  test('render_template sees JSON numbers as float64 and nulls as no value', () => {
    const r = (t: string, x: unknown) => call('strings.render_template', t, fromJSON(x))
    expect(r('{{.n}} {{.big}} {{.f}}', { n: 2023, big: 123456789, f: 0.5 })).toBe('2023 1.23456789e+08 0.5')
    expect(r('{{printf "%d" .n}}', { n: 5 })).toBe('%!d(float64=5)')
    expect(r('{{.z}}|{{if .zero}}t{{else}}f{{end}}', { z: null, zero: 0 })).toBe('<undefined>|f')
    expect(r('{{.xs}}', { xs: [1, 'a', null] })).toBe('[1 a <nil>]')
  })
})

describe('sprintf %v of composites quotes strings like Go', () => {
  test('control characters use Go escapes inside composite values', () => {
    expect(fmt('%v', ['a\u0001', 'é', '\u2028'])).toBe('["a\\x01", "é", "\\u2028"]')
    expect(fmt('%v', new RegoObject([['k"', s()]]))).toBe('{"k\\"": set()}')
  })
})

describe('sprintf refuses what Go refuses', () => {
  test('bad argument indexes and absurd widths', () => {
    expect(fmt('%[3]d', 1)).toBe('%!d(BADINDEX)')
    expect(fmt('%99999999d', 1)).toBe('%!(NOVERB)%!(EXTRA int=1)')
    expect(fmt('%*d', 'x', 1)).toBe('%!(BADWIDTH)1')
    expect(fmt('%.*d', -1, 1)).toBe('%!(BADPREC)1')
  })
})

describe('render_template output cap', () => {
  test('a template producing more than 16 MiB fails', () => {
    const big = 'x'.repeat(1024 * 1024)
    const vars = new RegoObject([['xs', Array.from({ length: 20 }, () => big)]])
    expect(() => call('strings.render_template', '{{range .xs}}{{.}}{{end}}', vars)).toThrow(/output exceeds/)
  })
})

describe('render_template loops', () => {
  const r = (t: string, x: unknown) => call('strings.render_template', t, fromJSON(x))
  test('break and continue inside range, also from within if', () => {
    expect(r('{{range .xs}}{{if eq . "b"}}{{continue}}{{end}}{{if eq . "d"}}{{break}}{{end}}{{.}}{{end}}', { xs: ['a', 'b', 'c', 'd', 'e'] })).toBe('ac')
    expect(r('{{range $i, $x := .xs}}{{$i}}={{$x}};{{else}}none{{end}}', { xs: [] })).toBe('none')
    expect(r('{{$n := 0}}{{range .xs}}{{$n = .}}{{end}}{{$n}}', { xs: [1, 2] })).toBe('2')
    expect(() => r('{{break}}', {})).toThrow('outside {{range}}')
  })
})

describe('render_template field errors like Go', () => {
  const r = (t: string, x: unknown) => call('strings.render_template', t, fromJSON(x))
  test('a field of a missing key is no value; of null or a scalar, an error', () => {
    expect(r('{{.a.b}}', {})).toBe('<undefined>')
    expect(() => r('{{.a.b}}', { a: null })).toThrow('nil pointer evaluating interface {}.b')
    expect(() => r('{{.a.b}}', { a: 1 })).toThrow("can't evaluate field b in type float64")
  })
})
