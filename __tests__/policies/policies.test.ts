import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { configData, DEFAULT_CONFIG, parseConfig } from '../../src/config/index.js'
import { buildPullRequestDocument } from '../../src/document/build.js'
import { errorDecision, type Decision } from '../../src/engine/decision.js'
import { collectRegoSources, evaluateDecision } from '../../src/engine/load.js'
import { loadRegoEngine } from '../../src/engine/rego.js'
import type { PolicyEngine } from '../../src/engine/types.js'
import { runRegoTests } from '../../src/rego/tester.js'
import { scenarioFacts, scenarioNames } from '../document/scenario-facts.js'

const POLICIES = fileURLToPath(new URL('../../policies/', import.meta.url))
const BUILTIN = join(POLICIES, 'change_gate')
const PR_RULES = ['approval/second_approver', 'approval/changes_requested', 'approval/data_owner', 'ticket/reference', 'rollback/plan', 'tests/passing', 'facts/complete', 'break_glass/justification']
const STABLE_CODES = ['approval/second-approver', 'approval/changes-requested', 'approval/data-owner', 'ticket/reference', 'rollback/plan', 'tests/passing', 'facts/complete', 'break-glass/justification']

function regoFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.rego'))
    .map((e) => join(e.parentPath, e.name))
    .sort()
}

describe('policies/**/*_test.rego on the embedded engine', () => {
  const report = runRegoTests(regoFiles(POLICIES).map((file) => ({ file: relative(POLICIES, file), source: readFileSync(file, 'utf8') })))
  it('finds the tests of every built-in PR rule, main and lib', () => {
    const packages = new Set(report.results.map((r) => r.name.split('.').slice(1, -1).join('.')))
    for (const rule of PR_RULES) expect(packages).toContain(`change_gate.tests.${rule.replace('/', '.')}`)
    expect(packages).toContain('change_gate.tests.main')
    expect(packages).toContain('change_gate.tests.lib')
    expect(report.results.length).toBeGreaterThan(90)
  })
  it('every test passes', () => {
    const failures = report.results.filter((r) => r.outcome !== 'pass').map((r) => `${r.name}: ${r.outcome}${r.message ? ` — ${r.message}` : ''}`)
    expect(failures).toEqual([])
  })
})

describe('built-in rule packages', () => {
  it.each([...PR_RULES, 'approval/unlinked_identities', 'push/no_pull_request', 'retro_review/qualified'])('%s: METADATA with title, description, code, control, severity, remediation, and a test beside it', (rule) => {
    const dir = join(BUILTIN, 'rules', rule)
    const file = join(dir, `${basename(rule)}.rego`)
    const text = readFileSync(file, 'utf8')
    expect(text.startsWith('# METADATA\n')).toBe(true)
    for (const field of ['# title: ', '# description: ', '#   code: ', '#   control: CC8.1', '#   severity: ', '#   remediation: ']) expect(text).toContain(field)
    expect(existsSync(join(dirname(file), `${basename(rule)}_test.rego`))).toBe(true)
  })
})

describe('lib defaults', () => {
  it('equal DEFAULT_CONFIG, the deploy section included (every rule reads its settings through lib.setting)', async () => {
    const engine = loadRegoEngine(await collectRegoSources(BUILTIN))
    engine.setData({})
    expect(await engine.evaluate('data.change_gate.lib.defaults', {})).toEqual(DEFAULT_CONFIG)
  })
  it('no rule reads the config around the lookup (object.get on lib.config)', () => {
    const offenders = regoFiles(join(BUILTIN, 'rules')).filter((f) => !f.endsWith('_test.rego') && /object\.get\(lib\.config/.test(readFileSync(f, 'utf8')))
    expect(offenders).toEqual([])
  })
})

describe('the decision on each scenario (facts from the GitHub stand-in, built-in policies)', () => {
  let engine: PolicyEngine | undefined
  async function decide(name: string, maxPages?: number): Promise<{ decision: Decision; expected: NonNullable<Awaited<ReturnType<typeof scenarioFacts>>['scenario']['expect']> }> {
    const { scenario, facts } = await scenarioFacts(name, maxPages)
    engine ??= loadRegoEngine(await collectRegoSources(BUILTIN))
    const now = new Date('2026-11-25T10:00:00Z')
    let decision: Decision
    if (!facts) decision = errorDecision('GitHub GraphQL request failed')
    else {
      try {
        const config = parseConfig(scenario.config ?? null, '.github/change-gate.yml')
        const doc = buildPullRequestDocument(facts, config, { kind: 'pull_request', now, event: { name: 'pull_request', action: 'synchronize' } })
        decision = await evaluateDecision(engine, doc, configData(config), now)
      } catch (err) {
        decision = errorDecision(`invalid config: ${(err as Error).message}`)
      }
    }
    return { decision, expected: scenario.expect! }
  }
  const codes = (items: Array<{ code: string }>) => [...new Set(items.map((i) => i.code))].sort()

  it.each(scenarioNames())('%s', async (name) => {
    const { decision, expected } = await decide(name)
    expect(decision.decision).toBe(expected.decision)
    if (expected.decision === 'error') {
      expect(decision.error).toContain(expected.description_contains)
      return
    }
    expect(codes(decision.violations)).toEqual([...(expected.violations ?? [])].sort())
    expect(codes(decision.pending)).toEqual([...(expected.pending ?? [])].sort())
    expect(decision.exceptions).toEqual([])
    for (const item of [...decision.violations, ...decision.pending, ...decision.passed]) {
      expect(STABLE_CODES).toContain(item.code)
      expect(item).toMatchObject({ control: 'CC8.1', title: expect.any(String), remediation: expect.any(String) })
    }
    // Every core rule judged the PR: each is in passed, violations or pending.
    const judged = codes([...decision.violations, ...decision.pending, ...decision.passed])
    for (const core of ['approval/second-approver', 'ticket/reference', 'rollback/plan', 'tests/passing', 'facts/complete']) expect(judged).toContain(core)
  })

  it('many-commits read with a page limit: the truncated commit list denies (facts/complete), never allows', async () => {
    const { decision } = await decide('many-commits', 0)
    expect(decision.decision).toBe('deny')
    expect(codes(decision.violations)).toEqual(['facts/complete'])
    expect(decision.violations[0]!.message).toContain('commits_complete')
  })

  it('break glass end to end: the label plus a justification section turn the self-approval denial into an exception', async () => {
    const { facts } = await scenarioFacts('self-approval')
    const pr = facts!.pull_request
    const emergency = { ...facts!, pull_request: { ...pr, labels: ['emergency-change'], body: `${pr.body}\n## Emergency justification\nCheckout is failing for every customer; this reverts the broken timeout now.\n` } }
    engine ??= loadRegoEngine(await collectRegoSources(BUILTIN))
    const now = new Date('2026-11-25T10:00:00Z')
    const doc = buildPullRequestDocument(emergency, DEFAULT_CONFIG, { kind: 'pull_request', now, event: { name: 'pull_request' } })
    const decision = await evaluateDecision(engine, doc, configData(DEFAULT_CONFIG), now)
    expect(decision.decision).toBe('allow')
    expect(codes(decision.exceptions)).toEqual(['approval/second-approver'])
    expect(decision.exceptions[0]!.message).toContain('retroactive review by a qualifying approver is due within 24 h')
    // Without the justification the label is itself a violation.
    const bare = buildPullRequestDocument({ ...facts!, pull_request: { ...pr, labels: ['emergency-change'] } }, DEFAULT_CONFIG, { kind: 'pull_request', now, event: { name: 'pull_request' } })
    const denied = await evaluateDecision(engine, bare, configData(DEFAULT_CONFIG), now)
    expect(codes(denied.violations)).toEqual(['approval/second-approver', 'break-glass/justification'])
  })
})
