/** Facts for every scenario, read through the GitHub stand-in exactly as the action reads them. */
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createGitHubClient } from '../../src/github/client.js'
import { fetchPullRequestFacts, type GitHubPullRequestFacts } from '../../src/github/facts.js'
import { loadScenario, type Scenario } from '../support/github-standin/scenario.js'
import { startStandIn } from '../support/github-standin/server.js'

export const SCENARIO_DIR = fileURLToPath(new URL('../../__fixtures__/scenarios/', import.meta.url))

export function scenarioNames(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => f.slice(0, -4))
    .sort()
}

export function scenario(name: string): Scenario {
  return loadScenario(`${SCENARIO_DIR}${name}.yml`)
}

/** The facts of a scenario, or null when the stand-in fails GraphQL (graphql-failing). */
export async function scenarioFacts(name: string, maxPages?: number): Promise<{ scenario: Scenario; facts: GitHubPullRequestFacts | null }> {
  const s = scenario(name)
  const standin = await startStandIn(s)
  try {
    if (s.graphql_fail) return { scenario: s, facts: null }
    const client = createGitHubClient({ token: 't', apiUrl: standin.url, graphqlUrl: `${standin.url}/graphql`, retries: 0, retryBaseMs: 1 })
    return { scenario: s, facts: await fetchPullRequestFacts(client, s.repository?.owner ?? 'acme', s.repository?.name ?? 'api', s.pull_request.number, maxPages) }
  } finally {
    await standin.close()
  }
}
