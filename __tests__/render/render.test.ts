import { describe, expect, it } from '@jest/globals'
import { errorDecision } from '../../src/engine/decision.js'
import { COMMENT_LIMIT, commentMarker, renderComment } from '../../src/render/comment.js'
import { render } from '../../src/render/index.js'
import { renderSummary } from '../../src/render/summary.js'
import { allowDecision, denyDecision, hostileDecision } from './fixtures.js'

const context = { repository: 'acme/api', pr_number: 42, title: 'ABC-1 add `users` table | fast', head_sha: 'a'.repeat(40), head_ref: 'feature/x', status_context: 'change-gate', run_url: 'https://github.com/acme/api/actions/runs/1' }

describe('renderers', () => {
  for (const format of ['text', 'json', 'markdown', 'sarif', 'junit'] as const) {
    it(`${format}: deny`, () => expect(render(format, denyDecision, context)).toMatchSnapshot())
    it(`${format}: allow`, () => expect(render(format, allowDecision, context)).toMatchSnapshot())
    it(`${format}: error`, () => expect(render(format, errorDecision('GraphQL failed after 3 retries'), context)).toMatchSnapshot())
  }
  it('text --explain prints the facts of each rule', () => {
    const text = render('text', denyDecision, context, true)
    expect(text).toContain('facts: {"approvers":[],"stale":["alice"]}')
    expect(text).toContain('facts: (the rule reported no facts)')
  })
  it('json has decision beside the lists', () => {
    const parsed = JSON.parse(render('json', denyDecision, context))
    expect(Object.keys(parsed).slice(0, 6)).toEqual(['decision', 'allow', 'violations', 'warnings', 'pending', 'exceptions'])
    expect(parsed.decision).toBe('deny')
    expect(parsed.violations.map((v: { code: string }) => v.code)).toEqual(['approval/second-approver', 'ticket/reference'])
  })
  it('sticky comment carries the marker and stays below the limit', () => {
    const many = { ...denyDecision, violations: Array.from({ length: 2000 }, (_, i) => ({ ...denyDecision.violations[0]!, code: `x/${i}`, message: 'm'.repeat(100) })) }
    const body = renderComment(many, context)
    expect(body.startsWith(commentMarker('change-gate'))).toBe(true)
    expect(body.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(body).toContain("below GitHub's comment size limit")
    expect(renderComment(denyDecision, context)).toMatchSnapshot()
  })
})

describe('escaping of untrusted text', () => {
  const summary = renderSummary(hostileDecision, { ...context, title: 'x | y <b>z</b> @team' })
  const tableRow = summary.split('\n').find((l) => l.includes('ticket/reference'))!
  it('keeps table rows intact (no unescaped pipes)', () => {
    expect(tableRow.replace(/\\\|/g, '').replace(/&#124;/g, '').split('|').length).toBe(6)
  })
  it('neutralises HTML, mentions, links and code spans', () => {
    expect(summary).not.toContain('<img')
    expect(summary).not.toContain('<b>')
    expect(summary).not.toMatch(/@octocat/)
    expect(summary).not.toMatch(/@team/)
    expect(summary).not.toContain('](https://')
    expect(summary).not.toContain('https://evil')
    expect(tableRow).not.toMatch(/(^|[^\\])`/)
    expect(tableRow).not.toContain('\n')
  })
  it('escapes the branch name in code spans', () => {
    const s = renderSummary(allowDecision, { head_sha: 'abc', head_ref: 'x`</code><script>' })
    expect(s).toContain('<code>x&#96;&lt;/code&gt;&lt;script&gt;</code>')
  })
})
