import { afterEach, describe, expect, it } from '@jest/globals'
import { fileURLToPath } from 'node:url'
import { createGitHubClient } from '../../src/github/client.js'
import { DEFAULT_CONFIG_PATH, readFileAtRef } from '../../src/github/config.js'
import { loadScenario } from '../support/github-standin/scenario.js'
import { startStandIn, type StandIn } from '../support/github-standin/server.js'

let standin: StandIn | undefined
afterEach(async () => standin?.close())

describe('config from the base branch', () => {
  it('reads the file at the base ref and returns null when absent', async () => {
    const s = loadScenario(fileURLToPath(new URL('../../__fixtures__/scenarios/invalid-config.yml', import.meta.url)))
    standin = await startStandIn(s)
    const client = createGitHubClient({ token: 't', apiUrl: standin.url, retries: 0 })
    expect(await readFileAtRef(client, 'acme', 'api', DEFAULT_CONFIG_PATH, 'base-sha')).toBe(s.config)
    expect(standin.calls.at(-1)!.path).toBe('/repos/acme/api/contents/.github%2Fchange-gate.yml?ref=base-sha')
    expect(await readFileAtRef(client, 'acme', 'api', '.github/other.yml', 'base-sha')).toBeNull()
  })
  it('a 404 (no such file or repository) reads as absent; the facts query then fails for an unreadable repository', async () => {
    standin = await startStandIn(loadScenario(fileURLToPath(new URL('../../__fixtures__/scenarios/compliant.yml', import.meta.url))))
    const client = createGitHubClient({ token: 't', apiUrl: standin.url, retries: 0 })
    await expect(readFileAtRef(client, 'other', 'repo', DEFAULT_CONFIG_PATH, 'main')).resolves.toBeNull()
  })
})
