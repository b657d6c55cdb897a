/**
 * `change-gate deploy-check`: the deploy gate's verdict on a release, from a release manager's
 * terminal or another CI system — the same facts, document and policies as `mode: deploy`, but
 * read-only: it appends no record. Exit 0 allow, 1 deny or pending, 2 error.
 */
import { readFile } from 'node:fs/promises'
import { createDeployEvaluator } from '../../action/deploy-decide.js'
import { renderDeploySummary } from '../../action/deploy-summary.js'
import { buildDeploymentDocument, type DeploymentDocument } from '../../document/deployment.js'
import { errorDecision, exitCodeFor, type Decision } from '../../engine/decision.js'
import type { RegoLoader } from '../../engine/load.js'
import { openStore } from '../../evidence/factory.js'
import { apiUrls, createGitHubClient } from '../../github/client.js'
import { DEFAULT_CONFIG_PATH, readFileAtRef } from '../../github/config.js'
import { fetchDeploymentFacts } from '../../github/deployment.js'
import { renderJson } from '../../render/json.js'
import { renderText } from '../../render/text.js'
import { format, instant, ownerRepo, parseCommandArgs, required } from '../args.js'
import { UsageError, type Command, type ExitCode } from '../command.js'

export interface DeployCheckDeps {
  loadRego: RegoLoader
  /** The built-in policy folder (a getter may throw when it is missing: an error decision). */
  readonly builtinPolicyDir: string
}

const FORMATS = ['text', 'json', 'markdown'] as const

const USAGE = `Usage: change-gate deploy-check --store URL --repo OWNER/NAME --environment ENV --sha SHA [options]

  --store URL          the evidence store holding the merge and deployment records
                       (git+file:///path/repo.git#branch, git+https://github.com/OWNER/REPO.git#branch, dir:///path)
  --repo OWNER/NAME    the repository (GitHub token from GITHUB_TOKEN; GITHUB_API_URL for GitHub Enterprise Server)
  --environment ENV    the environment to deploy to, e.g. production
  --sha SHA            the full commit SHA to deploy
  --version V          the release version (semver; must increase over the last deployed one)
  --break-glass TEXT   a written justification for an emergency deployment (freeze windows)
  --baseline SHA       adoption: the release already running in an environment deployed before
                       change-gate; changes are checked from it (only while the store records no
                       successful deployment of the environment; warns deploy/baseline)
  --config FILE        .github/change-gate.yml to use (default: the file at the last deployed commit)
  --policies DIR       custom .rego policies, evaluated with the built-in ones (repeatable)
  --format F           ${FORMATS.join(' | ')} (default text)
  --now RFC3339        the evaluation instant (default: now)

Read-only: no record is appended (the action's mode: deploy does that).
Exit codes: 0 allow, 1 deny or pending, 2 error.`

function changesText(doc: DeploymentDocument): string {
  const d = doc.deployment
  const lines = [
    '',
    `Deployment: ${doc.repository.full_name} ${d.sha.slice(0, 12)} → ${d.environment}${d.version ? ` as ${d.version}` : ''}`,
    `Last successful deployment: ${d.previous_sha ? `${d.previous_sha.slice(0, 12)}${d.previous_version ? ` (${d.previous_version})` : ''}${d.previous_source === 'baseline' ? ' (operator-chosen baseline)' : ''}` : 'none (first deployment)'}${d.rollback ? ' — this is a rollback' : ''}`,
    `Changes: ${doc.changes.length} commit(s), ${doc.release.pull_requests.length} pull request(s)`
  ]
  for (const c of doc.changes) {
    const rec = c.pr?.merge_record
    const verdict = !c.pr ? 'NO PR' : !rec ? 'NO MERGE RECORD' : rec.verdict.toUpperCase()
    const who = rec?.approved_by.length ? ` approved by ${rec.approved_by.join(', ')}` : ''
    const tickets = rec?.ticket_reference.length ? ` [${rec.ticket_reference.join(', ')}]` : ''
    lines.push(`  ${c.sha.slice(0, 12)} ${c.pr ? `#${c.pr.number}` : '-'} ${verdict}${who}${tickets}  ${(c.message.split('\n')[0] ?? '').slice(0, 72)}`)
  }
  return lines.join('\n') + '\n'
}

export function createDeployCheckCommand(deps: DeployCheckDeps): Command {
  return {
    name: 'deploy-check',
    summary: "judge a release before it ships: every change since the environment's last deployment (read-only)",
    usage: USAGE,
    async run(argv, io): Promise<ExitCode> {
      const { values } = parseCommandArgs(argv, {
        store: { type: 'string' },
        repo: { type: 'string' },
        environment: { type: 'string' },
        sha: { type: 'string' },
        version: { type: 'string' },
        'break-glass': { type: 'string' },
        baseline: { type: 'string' },
        config: { type: 'string' },
        policies: { type: 'string', multiple: true },
        format: { type: 'string' },
        now: { type: 'string' }
      })
      const fmt = format(values.format, FORMATS)
      const storeUrl = required(values.store, 'store')
      const { owner, repo, full_name: repository } = ownerRepo(values.repo)
      const environment = required(values.environment, 'environment')
      const sha = required(values.sha, 'sha').toLowerCase()
      if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) throw new UsageError(`--sha '${values.sha}' is not a full commit SHA (40 hex digits)`)
      const baseline = values.baseline?.toLowerCase() ?? null
      if (baseline !== null && !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(baseline)) throw new UsageError(`--baseline '${values.baseline}' is not a full commit SHA (40 hex digits): pass the SHA of the release already running in '${environment}'`)
      const now = instant(values.now)
      let decision: Decision
      let doc: DeploymentDocument | null = null
      try {
        const urls = apiUrls({}, io.env)
        const token = io.env.GITHUB_TOKEN ?? ''
        const client = createGitHubClient({ token, ...urls })
        const store = openStore(storeUrl, { cwd: io.cwd, token, apiUrl: urls.apiUrl })
        const facts = await fetchDeploymentFacts(client, { owner, repo, environment, sha, version: values.version ?? null, store, baseline })
        const ref = facts.previous?.sha ?? sha
        const configText = values.config !== undefined ? await readFile(values.config, 'utf8') : await readFileAtRef(client, owner, repo, DEFAULT_CONFIG_PATH, ref)
        doc = buildDeploymentDocument(facts, { now, event: { name: 'cli', actor: io.env.GITHUB_ACTOR ?? null }, break_glass: values['break-glass'] ?? null })
        const evaluate = createDeployEvaluator({
          client,
          owner,
          repo,
          loadRego: deps.loadRego,
          builtinDir: deps.builtinPolicyDir,
          localPolicyDirs: values.policies ?? [],
          customPoliciesPath: '',
          bundle: '',
          workspace: io.cwd,
          configPath: values.config ?? DEFAULT_CONFIG_PATH,
          statusContext: 'change-gate'
        })
        decision = (await evaluate(doc, configText, ref)).decision
      } catch (err) {
        decision = errorDecision(err instanceof Error ? err.message : String(err))
      }
      if (fmt === 'json') {
        const out = JSON.parse(renderJson(decision, false)) as Record<string, unknown>
        if (doc) Object.assign(out, { deployment: doc.deployment, changes: doc.changes, changes_complete: doc.changes_complete, facts_problems: doc.facts_problems })
        io.stdout(JSON.stringify(out, null, 2) + '\n')
      } else if (fmt === 'markdown') {
        io.stdout(renderDeploySummary(decision, doc, { repository, environment, sha }))
      } else {
        io.stdout(renderText(decision, { repository, head_sha: sha, title: `deploy to ${environment}` }))
        if (doc) io.stdout(changesText(doc))
      }
      if (decision.error && fmt !== 'text') io.stderr(`change-gate deploy-check: error: ${decision.error}\n`)
      return exitCodeFor(decision.decision)
    }
  }
}
