import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { CONFIG_SCHEMA, ConfigError, configData, DEFAULT_CONFIG, parseConfig } from '../../src/config/index.js'

const FILE = '.github/change-gate.yml'
function error(text: string): ConfigError {
  try {
    parseConfig(text, FILE)
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError)
    return err as ConfigError
  }
  throw new Error('expected a ConfigError')
}

describe('parseConfig', () => {
  it('no file, an empty file or comments only → the defaults with the four core rules on', () => {
    for (const text of [null, '', '# nothing yet\n']) expect(parseConfig(text, FILE)).toEqual(DEFAULT_CONFIG)
    const r = DEFAULT_CONFIG.rules
    expect([r.second_approver.enabled, r.ticket_reference.enabled, r.rollback_plan.enabled, r.passing_tests.enabled]).toEqual([true, true, true, true])
  })
  it('merges given keys over the defaults; lists replace', () => {
    const c = parseConfig('version: 1\nrules:\n  second_approver:\n    required_approvals: 2\n    required_approvals_by_type: { DDL: 3 }\nclassification:\n  DDL: ["db/**"]\n', FILE)
    expect(c.rules.second_approver).toEqual({ ...DEFAULT_CONFIG.rules.second_approver, required_approvals: 2, required_approvals_by_type: { DDL: 3 } })
    expect(c.classification.DDL).toEqual(['db/**'])
    expect(c.classification.PIPELINE).toEqual(DEFAULT_CONFIG.classification.PIPELINE)
    expect(c.rules.rollback_plan).toEqual(DEFAULT_CONFIG.rules.rollback_plan)
  })
  it('the invalid-config scenario: a mistyped value names the key, the value and the fix', () => {
    const e = error('rules:\n  second_approver:\n    required_approvals: "two"\n')
    expect(e.key).toBe('rules.second_approver.required_approvals')
    expect(e.message).toBe(`invalid config ${FILE}: 'rules.second_approver.required_approvals' must be an integer (got string "two"). Fix ${FILE} on the base branch (schema: schemas/config.v1.schema.json)`)
  })
  it('an unknown key is an error with a suggestion, never a silently disabled rule', () => {
    const e = error('rules:\n  second_aprover:\n    enabled: false\n')
    expect(e.key).toBe('rules.second_aprover')
    expect(e.message).toContain("unknown key 'rules.second_aprover'; did you mean 'rules.second_approver'?")
    expect(error('colour: blue\n').message).toContain("unknown key 'colour'; the keys allowed here are: version, rules, classification, affected_systems, break_glass, deploy")
  })
  it('enums, change types, the version and the top level', () => {
    expect(error('rules:\n  ticket_reference:\n    sources: [title, wiki]\n').key).toBe('rules.ticket_reference.sources[1]')
    expect(error('rules:\n  second_approver:\n    required_approvals_by_type: { DB: 2 }\n').key).toBe('rules.second_approver.required_approvals_by_type.DB')
    expect(error('version: 2\n').message).toContain("'version' must be 1")
    expect(error('- a\n- b\n').message).toContain('the top level must be a mapping')
    expect(error('rules:\n  second_approver:\n    required_approvals: -1\n').message).toContain("'rules.second_approver.required_approvals' must be >= 0")
  })
  it('rules.second_approver.unlinked_identities: warn by default, deny accepted, anything else names the key and the choices', () => {
    expect(DEFAULT_CONFIG.rules.second_approver.unlinked_identities).toBe('warn')
    expect(parseConfig('rules:\n  second_approver:\n    unlinked_identities: deny\n', FILE).rules.second_approver.unlinked_identities).toBe('deny')
    const e = error('rules:\n  second_approver:\n    unlinked_identities: ignore\n')
    expect(e.key).toBe('rules.second_approver.unlinked_identities')
    expect(e.message).toMatch(/warn.*deny/)
  })
  it('invalid YAML and a pattern RE2 cannot compile', () => {
    expect(error('rules: [\n').message).toMatch(/^invalid config .github\/change-gate.yml: it is not valid YAML/)
    const e = error('rules:\n  ticket_reference:\n    patterns: ["ok-[0-9]+", "(?<=x)y"]\n')
    expect(e.key).toBe('rules.ticket_reference.patterns[1]')
    expect(e.message).toContain('RE2')
  })
  it('does not share state with DEFAULT_CONFIG', () => {
    const c = parseConfig(null, FILE)
    c.rules.ticket_reference.patterns.push('x')
    expect(DEFAULT_CONFIG.rules.ticket_reference.patterns).not.toContain('x')
  })
})

describe('configData', () => {
  it('puts the config at data.change_gate.config and always ignores the gate’s own status context', () => {
    const data = configData(DEFAULT_CONFIG, { statusContext: 'compliance' })
    expect(data.change_gate.config.rules.passing_tests.ignore_checks).toEqual(['change-gate', 'compliance'])
    expect(configData(DEFAULT_CONFIG).change_gate.config).toEqual(DEFAULT_CONFIG)
    expect(DEFAULT_CONFIG.rules.passing_tests.ignore_checks).toEqual(['change-gate'])
  })
})

describe('schemas/config.v1.schema.json', () => {
  it('is the schema the code validates with', () => {
    expect(JSON.parse(readFileSync(new URL('../../schemas/config.v1.schema.json', import.meta.url), 'utf8'))).toEqual(JSON.parse(JSON.stringify(CONFIG_SCHEMA)))
  })
})

describe('the deploy section', () => {
  it('is parsed with the rest of the file (a PR gate must not reject it) and defaults when absent', () => {
    const c = parseConfig('rules:\n  second_approver:\n    required_approvals: 2\ndeploy:\n  first_deployment: deny\n  freeze:\n    windows:\n      - { name: year-end, start: "2026-12-20T00:00:00Z", end: "2027-01-04T00:00:00Z", environments: [production] }\n', FILE)
    expect(c.rules.second_approver.required_approvals).toBe(2)
    expect(c.deploy.first_deployment).toBe('deny')
    expect(c.deploy.freeze.windows).toEqual([{ name: 'year-end', start: '2026-12-20T00:00:00Z', end: '2027-01-04T00:00:00Z', environments: ['production'] }])
    expect(parseConfig(null, FILE).deploy).toEqual(DEFAULT_CONFIG.deploy)
  })
  it('errors in it are ConfigErrors naming the key', () => {
    const e = error('deploy:\n  first_deployment: maybe\n')
    expect(e.key).toBe('deploy.first_deployment')
    expect(e.message).toContain("'deploy.first_deployment' must be warn or deny")
  })
})

describe('examples/config/change-gate.yml', () => {
  it('is a valid config that changes what it says it changes', () => {
    const c = parseConfig(readFileSync(new URL('../../examples/config/change-gate.yml', import.meta.url), 'utf8'), 'examples/config/change-gate.yml')
    expect(c.rules.second_approver.required_approvals_by_type).toEqual({ DDL: 2, ACCESS: 2 })
    expect(c.rules.data_owner.owners).toEqual(['dana', 'priya'])
    expect(c.rules.ticket_reference.project_keys).toEqual(['PAY', 'OPS'])
    expect(c.affected_systems['payments-api']).toEqual(['services/payments/**'])
  })
})
