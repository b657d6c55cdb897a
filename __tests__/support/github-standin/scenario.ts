/**
 * A scenario file (YAML) describes one pull request as GitHub would hold it. The stand-in turns it
 * into the objects its GraphQL resolvers return and the REST answers it gives.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { load as loadYaml } from 'js-yaml'

export interface ScenarioUser {
  login?: string
  email?: string
  bot?: boolean
}

export interface Scenario {
  name: string
  repository?: { owner?: string; name?: string; default_branch?: string }
  pull_request: {
    number: number
    title: string
    body?: string
    author: string
    head_ref?: string
    base_ref?: string
    draft?: boolean
    labels?: string[]
    merged?: boolean
  }
  commits?: Array<{ message: string; author?: string | ScenarioUser; committer?: string | ScenarioUser; co_authors?: Array<string | ScenarioUser>; merge?: boolean }>
  /** Adds this many generated commits before the listed ones (pagination). */
  generate_commits?: number
  files?: Array<{ path: string; status?: string; additions?: number; deletions?: number }>
  /** `commit`: index into the commits list (0-based, negative from the end); default the head. */
  reviews?: Array<{ author: string; bot?: boolean; state: string; commit?: number; association?: string; can_push?: boolean; dismissed?: boolean }>
  checks?: Array<{ name: string; status?: string; conclusion?: string | null; kind?: 'check_run' | 'status'; required?: boolean }>
  /** `.github/change-gate.yml` on the base branch; absent → 404. */
  config?: string
  /** The GraphQL endpoint answers HTTP 502 to every request. */
  graphql_fail?: boolean
  /** What the gate must publish. */
  expect?: { state: 'success' | 'failure' | 'pending' | 'error'; decision: 'allow' | 'deny' | 'pending' | 'error'; violations?: string[]; pending?: string[]; description_contains?: string }
}

export function loadScenario(path: string): Scenario {
  return loadYaml(readFileSync(path, 'utf8')) as Scenario
}

export function sha(seed: string): string {
  return createHash('sha1').update(seed).digest('hex')
}

export function userOf(u: string | ScenarioUser | undefined, fallback: string): ScenarioUser {
  if (u === undefined) return { login: fallback }
  return typeof u === 'string' ? { login: u } : u
}
