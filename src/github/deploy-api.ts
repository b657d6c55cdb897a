/**
 * The Deployments API as a fallback for the last successful deployment of an environment, used
 * only when the evidence store has none (e.g. the environment shipped before change-gate was
 * adopted). Any SUCCESS in a deployment's statuses counts: GitHub marks earlier successful
 * deployments INACTIVE in non-production environments, so the latest status alone misleads.
 */
import type { GitHubClient } from './client.js'

interface ApiDeployment {
  id: number
  sha: string
  environment?: string
  created_at?: string
}

interface ApiStatus {
  state: string
}

export interface ApiLastDeployment {
  id: number
  sha: string
  created_at: string | null
}

/** How many of the newest deployments are examined before giving up. */
export const API_DEPLOYMENTS_SCANNED = 30

export async function lastSuccessfulFromApi(
  client: GitHubClient,
  owner: string,
  repo: string,
  environment: string,
  excludeSha?: string
): Promise<{ deployment: ApiLastDeployment | null; round_trips: number }> {
  const list = await client.request<ApiDeployment[]>('GET /repos/{owner}/{repo}/deployments', { owner, repo, environment, per_page: API_DEPLOYMENTS_SCANNED })
  let round_trips = 1
  for (const d of Array.isArray(list.data) ? list.data : []) {
    // The job running this gate may already have created its own deployment of this SHA.
    if (excludeSha && d.sha === excludeSha) continue
    const statuses = await client.request<ApiStatus[]>('GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', { owner, repo, deployment_id: d.id, per_page: 100 })
    round_trips++
    if ((statuses.data ?? []).some((s) => s.state === 'success')) {
      return { deployment: { id: d.id, sha: d.sha, created_at: d.created_at ?? null }, round_trips }
    }
  }
  return { deployment: null, round_trips }
}
