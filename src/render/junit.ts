import type { Decision } from '../engine/decision.js'
import type { RenderContext } from './context.js'
import { rows } from './rows.js'

function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ufffe\uffff]/g, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c)
}

/** JUnit XML: one test case per rule item; fail → failure, pending → skipped, error → an error case. */
export function renderJunit(decision: Decision, context: RenderContext = {}): string {
  const all = rows(decision)
  const name = `change-gate${context.repository ? ` ${context.repository}` : ''}${context.pr_number !== undefined ? `#${context.pr_number}` : ''}`
  const cases: string[] = []
  let failures = 0
  let skipped = 0
  let errors = 0
  for (const { verdict, item } of all) {
    const open = `    <testcase classname="${xml(item.code)}" name="${xml(item.title || item.code)}">`
    if (verdict === 'fail') {
      failures++
      cases.push(`${open}\n      <failure message="${xml(item.message)}">${xml(item.remediation)}</failure>\n    </testcase>`)
    } else if (verdict === 'pending') {
      skipped++
      cases.push(`${open}\n      <skipped message="${xml(item.message)}"/>\n    </testcase>`)
    } else {
      cases.push(`${open}\n      <system-out>${xml(`${verdict}: ${item.message}`)}</system-out>\n    </testcase>`)
    }
  }
  if (decision.decision === 'error') {
    errors++
    cases.push(`    <testcase classname="change-gate" name="decision">\n      <error message="${xml(decision.error ?? 'error')}"/>\n    </testcase>`)
  }
  const tests = cases.length
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="change-gate" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    `  <testsuite name="${xml(name)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    ''
  ].join('\n')
}
