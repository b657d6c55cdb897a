import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { compileModules } from '../../src/rego/index.js'
import { parseModule } from '../../src/rego/parser.js'

/** Runs the deploy policies' own *_test.rego files on the embedded engine (with the shared lib). */
const root = fileURLToPath(new URL('../../policies/change_gate/', import.meta.url))

function regoFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.rego'))
    .map((e) => join(e.parentPath, e.name))
    .sort()
}

const files = [...regoFiles(join(root, 'lib')), ...regoFiles(join(root, 'rules/deploy'))]
const policy = compileModules(files.map((f) => parseModule(f, readFileSync(f, 'utf8'))))
const tests = policy.tests()

describe('deploy policies (*_test.rego)', () => {
  it('has tests for every deploy rule package', () => {
    const packages = new Set(tests.map((t) => t.pkg.join('.')))
    for (const rule of ['unreviewed_change', 'version', 'freeze', 'complete', 'first_deployment', 'unrecorded', 'diverged']) expect(packages).toContain(`change_gate.rules.deploy.${rule}_test`)
  })
  it.each(tests.map((t) => [`${t.pkg.join('.')}.${t.name}`, t] as const))('%s', (_name, t) => {
    const result = policy.query(`data.${t.pkg.join('.')}.${t.name} == true`)
    expect(result.length).toBeGreaterThan(0)
  })
})
