import { describe, expect, it } from '@jest/globals'
import { annotationJSON, findAnnotationBlocks, parseAnnotation } from '../../src/rego/annotations.js'
import { parseModule } from '../../src/rego/parser.js'

const block = (yaml: string) => ({ loc: { file: 'f.rego', row: 1, col: 1 }, endRow: 2, yaml })

describe('METADATA annotations', () => {
  it('groups a marker with the comment lines right below it only', () => {
    const blocks = findAnnotationBlocks('f.rego', [
      { text: ' METADATA', loc: { file: 'f.rego', row: 1, col: 1 } },
      { text: ' title: T', loc: { file: 'f.rego', row: 2, col: 1 } },
      { text: ' description: D', loc: { file: 'f.rego', row: 3, col: 1 } },
      { text: ' unrelated', loc: { file: 'f.rego', row: 5, col: 1 } }
    ])
    expect(blocks).toEqual([{ loc: { file: 'f.rego', row: 1, col: 1 }, endRow: 3, yaml: 'title: T\ndescription: D' }])
  })

  it('normalises authors and related resources, and renders them as OPA does', () => {
    const a = parseAnnotation(
      block('title: T\nauthors:\n- Jane <jane@x.io>\n- {name: Bob}\n- John Smith\nrelated_resources:\n- https://a\n- {ref: https://b, description: B}\ncustom:\n  k: 1\norganizations: [acme]'),
      'rule'
    )
    expect(annotationJSON(a)).toEqual({
      scope: 'rule',
      title: 'T',
      organizations: ['acme'],
      related_resources: [{ ref: 'https://a' }, { ref: 'https://b', description: 'B' }],
      authors: [{ name: 'Jane', email: 'jane@x.io' }, { name: 'Bob' }, { name: 'John Smith' }],
      custom: { k: 1 }
    })
    expect(a.raw.title).toBe('T')
  })

  it('rejects bad YAML, unknown scopes and malformed fields', () => {
    expect(() => parseAnnotation(block('title: [unclosed'), 'rule')).toThrow(/yaml/)
    expect(() => parseAnnotation(block('scope: everything'), 'rule')).toThrow(/invalid annotation scope/)
    expect(() => parseAnnotation(block('title: 3'), 'rule')).toThrow(/invalid title/)
    expect(() => parseAnnotation(block('custom: [1]'), 'rule')).toThrow(/invalid custom/)
  })

  it('attaches document-scope annotations to the rule and package scopes to the module', () => {
    const m = parseModule('f.rego', '# METADATA\n# title: Pkg\npackage p\n\n# METADATA\n# scope: document\n# title: Doc\nq := 1\n\nr := 2\n')
    expect(m.annotations.map((a) => [a.scope, a.title])).toEqual([['package', 'Pkg']])
    expect(m.rules[0].annotations.map((a) => [a.scope, a.title])).toEqual([['document', 'Doc']])
    expect(m.rules[1].annotations).toEqual([])
    const e = parseModule('f.rego', 'package p\n# METADATA\n# entrypoint: true\nallow := true\n')
    expect(e.rules[0].annotations.map((a) => [a.scope, a.entrypoint])).toEqual([['document', true]])
    expect(() => parseModule('f.rego', 'package p\n# METADATA\n# title: x\nimport data.y\nq := 1')).toThrow(/before a package or a rule/)
  })
})
