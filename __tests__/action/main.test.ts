import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseInputs } from '../../src/action/inputs.js'
import { eventContext, evidenceStoreUrl, run } from '../../src/main.js'
import { recordingIO } from './recording-io.js'

const dir = mkdtempSync(join(tmpdir(), 'cg-main-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const eventPath = join(dir, 'event.json')
writeFileSync(eventPath, JSON.stringify({ action: 'opened' }))

describe('the action entry', () => {
  it('reads the event and the run from the runner environment (GHES host and run URL)', async () => {
    const ctx = await eventContext({ GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventPath, GITHUB_REPOSITORY: 'acme/api', GITHUB_RUN_ID: '77', GITHUB_ACTOR: 'alice', GITHUB_SERVER_URL: 'https://ghe.example.com/' }, new Date(0))
    expect(ctx).toEqual({ eventName: 'pull_request', payload: { action: 'opened' }, repository: 'acme/api', runUrl: 'https://ghe.example.com/acme/api/actions/runs/77', runId: '77', actor: 'alice', host: 'ghe.example.com', now: new Date(0) })
  })
  it('the default evidence store is the repository\'s change-gate/evidence branch on its own server; the input wins', async () => {
    const ctx = await eventContext({ GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: eventPath, GITHUB_REPOSITORY: 'acme/api', GITHUB_SERVER_URL: 'https://ghe.example.com' })
    const inputs = parseInputs((n) => (n === 'token' ? 't' : ''))
    expect(evidenceStoreUrl(inputs, ctx, {})).toBe('git+https://ghe.example.com/acme/api.git#change-gate/evidence')
    expect(evidenceStoreUrl({ ...inputs, evidenceStore: 'dir:///var/evidence' }, ctx, {})).toBe('dir:///var/evidence')
  })
  it('outside a workflow: the step fails saying what is missing (the one catch), nothing thrown', async () => {
    const rec = recordingIO()
    await run({ io: rec.io, read: (n) => (n === 'token' ? 't' : ''), env: {} })
    expect(rec.failures).toEqual([expect.stringMatching(/^change-gate: GITHUB_EVENT_NAME and GITHUB_EVENT_PATH are not set/)])
  })
  it('an unreadable payload fails with the path', async () => {
    const rec = recordingIO()
    await run({ io: rec.io, read: (n) => (n === 'token' ? 't' : ''), env: { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: join(dir, 'nope.json') } })
    expect(rec.failures[0]).toMatch(/cannot read the event payload .*nope\.json/)
  })
  it('an empty token fails before anything else, with the fix', async () => {
    const rec = recordingIO()
    await run({ io: rec.io, read: () => '', env: {} })
    expect(rec.failures[0]).toMatch(/Input 'token' is empty/)
  })
})
