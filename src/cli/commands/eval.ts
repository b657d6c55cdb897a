/**
 * `change-gate eval`: a decision from an input document (`--input`) or live from a PR
 * (`--repo owner/name --pr N`, GITHUB_TOKEN, GITHUB_API_URL / GITHUB_GRAPHQL_URL as in the action).
 * Exit 0 allow, 1 deny or pending, 2 error.
 *
 * The domain pieces (config → policy data, facts → input document) and the embedded Rego engine
 * are passed in as `EvalDeps`, so the command is the same shell over whichever core is wired.
 */
import { readFile } from 'node:fs/promises'
import { errorDecision, exitCodeFor, type Decision } from '../../engine/decision.js'
import { evaluateDecision, loadEngine, type RegoLoader } from '../../engine/load.js'
import { apiUrls, createGitHubClient } from '../../github/client.js'
import { readFileAtRef, DEFAULT_CONFIG_PATH } from '../../github/config.js'
import { fetchPullRequestFacts, type GitHubPullRequestFacts } from '../../github/facts.js'
import { FORMATS, render } from '../../render/index.js'
import { format, instant, ownerRepo, parseCommandArgs, positiveInt } from '../args.js'
import { UsageError, type Command, type ExitCode } from '../command.js'

export interface EvalDeps {
  loadRego: RegoLoader
  /** The built-in policy folder(s), evaluated before `--policies`. */
  builtinPolicyDirs: string[]
  /** Config YAML text (or null: defaults) → `data` for the engine; throws with the key path on invalid config. `file` names it in messages. */
  configData(text: string | null, file: string): unknown
  /** Facts + config text → the input document (live mode). */
  buildDocument(facts: GitHubPullRequestFacts, configText: string | null, now: Date, file: string): unknown
}

const USAGE = `Usage: change-gate eval (--input FILE | --repo OWNER/NAME --pr N) [options]

  --input FILE       an input document (JSON, change-gate/input/v1)
  --repo, --pr       gather the facts live from GitHub (token from GITHUB_TOKEN; GITHUB_API_URL and
                     GITHUB_GRAPHQL_URL for GitHub Enterprise Server)
  --policies DIR     custom .rego policies, evaluated with the built-in ones (repeatable)
  --bundle FILE      an OPA Wasm bundle (opa build -t wasm -e change_gate/main/decision) instead
  --config FILE      .github/change-gate.yml to use (live mode default: the file on the base branch)
  --format F         ${FORMATS.join(' | ')} (default text)
  --explain          for each rule, the facts that decided it
  --now RFC3339      the evaluation instant (replays a past decision)

Exit codes: 0 allow, 1 deny or pending, 2 error.`

export function createEvalCommand(deps: EvalDeps): Command {
  return {
    name: 'eval',
    summary: 'evaluate the policies on a pull request (input document or live) and print the decision',
    usage: USAGE,
    async run(argv, io): Promise<ExitCode> {
      const { values } = parseCommandArgs(argv, {
        input: { type: 'string' },
        repo: { type: 'string' },
        pr: { type: 'string' },
        policies: { type: 'string', multiple: true },
        bundle: { type: 'string' },
        config: { type: 'string' },
        format: { type: 'string' },
        explain: { type: 'boolean' },
        now: { type: 'string' }
      })
      const fmt = format(values.format, FORMATS)
      const live = values.repo !== undefined || values.pr !== undefined
      if (live === (values.input !== undefined)) throw new UsageError('give either --input FILE or --repo OWNER/NAME --pr N')
      if (values.bundle && values.policies) throw new UsageError('--bundle and --policies exclude each other: a Wasm bundle already holds its policies')
      const now = instant(values.now)
      let decision: Decision
      let context = {}
      try {
        let configText: string | null = values.config !== undefined ? await readFile(values.config, 'utf8') : null
        const configFile = values.config ?? (live ? `${DEFAULT_CONFIG_PATH} (base branch)` : 'the default config')
        let input: unknown
        if (live) {
          const { owner, repo } = ownerRepo(values.repo)
          const number = positiveInt(values.pr, 'pr')
          const client = createGitHubClient({ token: io.env.GITHUB_TOKEN ?? '', ...apiUrls({}, io.env) })
          const facts = await fetchPullRequestFacts(client, owner, repo, number)
          if (values.config === undefined) configText = await readFileAtRef(client, owner, repo, DEFAULT_CONFIG_PATH, facts.pull_request.base.sha)
          input = deps.buildDocument(facts, configText, now, configFile)
          context = { repository: `${owner}/${repo}`, pr_number: number, title: facts.pull_request.title, head_sha: facts.pull_request.head.sha, head_ref: facts.pull_request.head.ref }
        } else {
          const file = values.input!
          try {
            input = JSON.parse(await readFile(file, 'utf8'))
          } catch (err) {
            throw new Error(`cannot read the input document ${file}: ${(err as Error).message}`)
          }
        }
        const data = deps.configData(configText, configFile)
        const engine = await loadEngine(values.bundle ? { bundle: values.bundle, policyDirs: [] } : { policyDirs: [...deps.builtinPolicyDirs, ...(values.policies ?? [])] }, deps.loadRego)
        decision = await evaluateDecision(engine, input, data, now)
      } catch (err) {
        if (err instanceof UsageError) throw err
        decision = errorDecision(err instanceof Error ? err.message : String(err))
      }
      io.stdout(render(fmt, decision, context, values.explain === true))
      if (decision.error && fmt !== 'text') io.stderr(`change-gate eval: error: ${decision.error}\n`)
      return exitCodeFor(decision.decision)
    }
  }
}
