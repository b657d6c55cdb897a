import type { Decision } from '../engine/decision.js'
import type { RenderContext } from './context.js'
import { rows } from './rows.js'

const LEVEL = { fail: 'error', pending: 'note', warn: 'warning', exception: 'note', pass: 'none' } as const

/** SARIF 2.1.0: one rule per code, one result per item (passes as kind "pass"). */
export function renderSarif(decision: Decision, context: RenderContext = {}): string {
  const all = rows(decision)
  const rules = new Map<string, { id: string; name: string; shortDescription: { text: string }; help: { text: string }; properties: Record<string, string> }>()
  for (const { item } of all) {
    if (!rules.has(item.code)) {
      rules.set(item.code, {
        id: item.code,
        name: item.title || item.code,
        shortDescription: { text: item.title || item.code },
        help: { text: item.remediation || 'See the policy documentation.' },
        properties: { control: item.control, severity: item.severity }
      })
    }
  }
  const ids = [...rules.keys()]
  const results = all.map(({ verdict, item }) => ({
    ruleId: item.code,
    ruleIndex: ids.indexOf(item.code),
    kind: verdict === 'pass' ? 'pass' : verdict === 'fail' ? 'fail' : verdict === 'warn' ? 'review' : 'open',
    level: LEVEL[verdict],
    message: { text: item.message },
    properties: { verdict }
  }))
  const run: Record<string, unknown> = {
    tool: { driver: { name: 'change-gate', informationUri: 'https://github.com/change-gate/change-gate', rules: [...rules.values()] } },
    results,
    properties: { decision: decision.decision, ...(decision.error ? { error: decision.error } : {}), ...(context.repository ? { repository: context.repository } : {}), ...(context.pr_number !== undefined ? { pull_request: context.pr_number } : {}) }
  }
  if (decision.decision === 'error') {
    run.invocations = [{ executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', message: { text: decision.error ?? 'error' } }] }]
  }
  return JSON.stringify({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] }, null, 2) + '\n'
}
