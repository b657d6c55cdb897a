import { describe, expect, it } from '@jest/globals'
import { globMatch } from '../../src/document/glob.js'
import { headingKey, proseOf, sections, stripInlineCode } from '../../src/document/markdown.js'

describe('sections', () => {
  it('maps lower-cased headings to their content, nested headings included until a peer', () => {
    expect(sections('intro\n## Summary\nhi\n## Rollback Plan:\nstep 1\n### Detail\nmore\n## Testing\nran it')).toEqual({
      summary: 'hi',
      'rollback plan': 'step 1\n### Detail\nmore',
      detail: 'more',
      testing: 'ran it'
    })
  })
  it('ignores headings inside fenced code (``` and ~~~) and unclosed fences', () => {
    expect(sections('## A\n```md\n## not a heading\n```\n~~~~\n# nor this\n~~~~\ntext')).toEqual({ a: '```md\n## not a heading\n```\n~~~~\n# nor this\n~~~~\ntext' })
    expect(Object.keys(sections('```\n## hidden'))).toEqual([])
  })
  it('setext headings, CRLF, closing hashes, emphasis, first duplicate wins, HTML comments removed', () => {
    expect(sections('Rollback plan\r\n-------------\r\nflip the flag\r\n# **Notes** ##\r\n<!-- hint -->x\r\n## notes\r\nlater')).toEqual({ 'rollback plan': 'flip the flag', notes: 'x\n## notes\nlater' })
  })
  it('a thematic break after a blank line is not a heading; # without a space is not a heading', () => {
    expect(sections('para\n\n---\n#hashtag\n')).toEqual({})
  })
  it('headingKey', () => {
    expect(headingKey('  **Rollback   Plan**: ')).toBe('rollback plan')
    expect(headingKey('🔙 Rollback plan ⚠️')).toBe('rollback plan')
    expect(headingKey('3. Rollback plan.')).toBe('rollback plan')
    expect(headingKey('Rollback plan (required)')).toBe('rollback plan (required)')
    expect(headingKey('2FA rollout')).toBe('2fa rollout')
    expect(headingKey('- Notes')).toBe('notes')
  })
})

describe('proseOf', () => {
  it('removes fenced blocks, indented blocks after a blank line, inline code and comments', () => {
    const out = proseOf('see ABC-1\n```\nABC-2\n```\n\n    ABC-3\n    ABC-4\nback ABC-5 `ABC-6` ``ABC-7 ` x`` <!-- ABC-8 -->')
    expect(out.match(/ABC-\d/g)).toEqual(['ABC-1', 'ABC-5'])
  })
  it('an unmatched backtick is literal text', () => expect(stripInlineCode('a ` ABC-1')).toBe('a ` ABC-1'))
})

describe('globMatch', () => {
  it.each([
    ['**/migrations/**', 'db/migrations/001.sql', true],
    ['**/migrations/**', 'migrations/001.sql', true],
    ['**/*.sql', 'schema.sql', true],
    ['*.sql', 'db/schema.sql', false],
    ['.github/workflows/**', '.github/workflows/ci.yml', true],
    ['CODEOWNERS', 'docs/CODEOWNERS', false],
    ['**/docker-compose*.yml', 'docker-compose.prod.yml', true],
    ['src/{api,web}/*.ts', 'src/web/a.ts', true],
    ['src/{api,web}/*.ts', 'src/cli/a.ts', false],
    ['file?.txt', 'file1.txt', true],
    ['[ab].md', 'c.md', false],
    ['a.b', 'aXb', false]
  ])('%s vs %s → %s', (glob, path, want) => expect(globMatch(glob, path)).toBe(want))
})
