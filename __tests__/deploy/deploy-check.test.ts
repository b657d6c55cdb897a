import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { runCli } from '../evidence/helpers.js'
import { createWorld, type World } from './world.js'

// Real git processes and an HTTP stand-in per test: generous under a loaded machine.
jest.setTimeout(60_000)

let world: World | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

const env = (w: World) => ({ GITHUB_TOKEN: 't', GITHUB_API_URL: w.standin.url })

describe('change-gate deploy-check', () => {
  it('exit 0 on a clean release, listing each change with its PR, verdict, approvers and ticket; appends nothing', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1, { version: '1.0.0' })
    const head = await w.mergeCompliant(2, 'Add export')
    const before = (await w.store.head())!.seq
    const r = await runCli(['deploy-check', '--store', w.storeUrl, '--repo', 'acme/api', '--environment', 'production', '--sha', head, '--version', '1.1.0', '--now', '2026-11-25T10:00:00Z'], { env: env(w) })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`${head.slice(0, 12)} #2 ALLOW approved by carol [OPS-2]  Add export (#2)`)
    expect(r.stdout).toContain('Last successful deployment: ')
    expect((await w.store.head())!.seq).toBe(before)
  })

  it('exit 1 on a release with a direct push; --format json carries the codes and the changes', async () => {
    const w = (world = await createWorld())
    const v1 = await w.mergeCompliant(1, 'A')
    await w.recordDeployment('production', v1)
    const pushed = w.history.push('straight to main')
    const r = await runCli(['deploy-check', '--store', w.storeUrl, '--repo', 'acme/api', '--environment', 'production', '--sha', pushed, '--format', 'json'], { env: env(w) })
    expect(r.code).toBe(1)
    const out = JSON.parse(r.stdout)
    expect(out.decision).toBe('deny')
    expect(out.violations.map((v: { code: string }) => v.code)).toEqual(['deploy/unreviewed-change'])
    expect(out.changes).toHaveLength(1)
    expect(out.deployment.previous_sha).toBe(v1)
  })

  it('--baseline: an environment deployed before change-gate is checked from the given SHA, with a deploy/baseline warning', async () => {
    const w = (world = await createWorld())
    w.history.deploy('production', w.history.merge(1, 'Older').merge_sha)
    const running = w.history.merge(2, 'Shipped by hand before adoption').merge_sha
    const head = await w.mergeCompliant(3, 'First gated change')
    const args = ['deploy-check', '--store', w.storeUrl, '--repo', 'acme/api', '--environment', 'production', '--sha', head, '--format', 'json']
    expect((await runCli(args, { env: env(w) })).code).toBe(1)
    const r = await runCli([...args, '--baseline', running], { env: { ...env(w), GITHUB_ACTOR: 'ops-lead' } })
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.warnings.map((x: { code: string }) => x.code)).toEqual(['deploy/baseline'])
    expect(out.warnings[0].message).toContain('chosen by ops-lead')
    expect(out.deployment).toEqual(expect.objectContaining({ previous_sha: running, previous_source: 'baseline' }))
    expect(out.changes.map((c: { pr: { number: number } | null }) => c.pr?.number)).toEqual([3])
    const bad = await runCli([...args, '--baseline', 'main'], { env: env(w) })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--baseline 'main' is not a full commit SHA/)
  })

  it('exit 2 when the store cannot be read, and on usage errors', async () => {
    const w = (world = await createWorld())
    const head = await w.mergeCompliant(1, 'A')
    const bad = await runCli(['deploy-check', '--store', 'git+file:///nonexistent/x.git', '--repo', 'acme/api', '--environment', 'production', '--sha', head], { env: env(w) })
    expect(bad.code).toBe(2)
    expect(bad.stdout).toMatch(/does not exist/)
    const usage = await runCli(['deploy-check', '--store', w.storeUrl, '--repo', 'acme/api', '--environment', 'production', '--sha', 'HEAD'], { env: env(w) })
    expect(usage.code).toBe(2)
    expect(usage.stderr).toContain('not a full commit SHA')
  })
})
