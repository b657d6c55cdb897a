/**
 * What GitHub's Deployments API says about an environment's last successful deployment, in one
 * GraphQL call. It is the fallback when the evidence store has no deployment of the environment
 * (it shipped before change-gate was adopted), and a cross-check otherwise: a newer successful
 * deployment of another SHA means something shipped without the gate.
 * Any SUCCESS in a deployment's statuses counts: GitHub marks earlier successful deployments
 * INACTIVE in non-production environments, so the latest status alone misleads.
 */
import type { GitHubClient } from './client.js'

/** How many of the newest deployments are examined. */
export const API_DEPLOYMENTS_SCANNED = 30

export const DEPLOYMENTS_QUERY = `query EnvironmentDeployments($owner: String!, $name: String!, $env: String!) {
  repository(owner: $owner, name: $name) {
    deployments(environments: [$env], first: ${API_DEPLOYMENTS_SCANNED}, orderBy: {field: CREATED_AT, direction: DESC}) {
      nodes { databaseId commitOid createdAt latestStatus { state } statuses(first: 20) { nodes { state } } }
    }
  }
}`

interface DeploymentNode {
  databaseId: number | null
  commitOid: string
  createdAt: string
  latestStatus: { state: string } | null
  statuses: { nodes: Array<{ state: string }> } | null
}

export interface ApiLastDeployment {
  id: number | null
  sha: string
  created_at: string | null
}

export async function lastSuccessfulFromApi(client: GitHubClient, owner: string, repo: string, environment: string, excludeSha?: string): Promise<{ deployment: ApiLastDeployment | null; round_trips: number }> {
  const data = await client.graphql<{ repository: { deployments: { nodes: DeploymentNode[] } } | null }>(DEPLOYMENTS_QUERY, { owner, name: repo, env: environment })
  if (!data.repository) throw new Error(`repository ${owner}/${repo} not found`)
  for (const d of data.repository.deployments.nodes) {
    // The job running this gate may already have created its own deployment of this SHA.
    if (excludeSha && d.commitOid === excludeSha) continue
    const states = [d.latestStatus?.state, ...(d.statuses?.nodes ?? []).map((s) => s.state)]
    if (states.includes('SUCCESS')) return { deployment: { id: d.databaseId, sha: d.commitOid, created_at: d.createdAt }, round_trips: 1 }
  }
  return { deployment: null, round_trips: 1 }
}
