/**
 * The action's inputs, parsed once into one typed settings object. Nothing else reads inputs.
 * `read` returns the raw input text ('' when unset) — `core.getInput` in the action, a map in tests.
 */

export const MODES = ['pr', 'deploy', 'outcome'] as const
export type Mode = (typeof MODES)[number]
export const FAIL_ON = ['deny', 'error', 'never'] as const
export type FailOn = (typeof FAIL_ON)[number]

export interface ActionInputs {
  token: string
  mode: Mode
  /** `.github/change-gate.yml` by default; read from the base branch. */
  configPath: string
  /** A folder of custom `.rego` policies on the base branch, added to the built-in ones. */
  policiesPath: string
  /** A precompiled OPA Wasm bundle (a path in the workspace of the base checkout). */
  bundle: string
  statusContext: string
  comment: boolean
  /** When the step itself fails: on deny (and error), on error only, or never (the status still says). */
  failOn: FailOn
  /** Evidence store URL ('' = the repository's change-gate/evidence branch, through the API). */
  evidenceStore: string
}

export class InputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InputError'
  }
}

function choice<T extends string>(name: string, value: string, options: readonly T[], fallback: T): T {
  if (value === '') return fallback
  if ((options as readonly string[]).includes(value)) return value as T
  throw new InputError(`Invalid input '${name}': '${value}'. Expected one of: ${options.join(', ')}.`)
}

function bool(name: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback
  if (/^(true|yes|on)$/i.test(value)) return true
  if (/^(false|no|off)$/i.test(value)) return false
  throw new InputError(`Invalid input '${name}': '${value}'. Expected true or false.`)
}

export function parseInputs(read: (name: string) => string): ActionInputs {
  const get = (name: string) => read(name).trim()
  const token = get('token')
  if (!token) throw new InputError("Input 'token' is empty. Pass `token: ${{ github.token }}` (the default) or a token with pull-requests:read and statuses:write.")
  // deploy and outcome read their own inputs (environment, sha, version, outcome) in their runner.
  const mode = choice('mode', get('mode'), MODES, 'pr')
  const statusContext = get('status-context') || 'change-gate'
  if (statusContext.length > 100 || /[\r\n]/.test(statusContext)) throw new InputError("Invalid input 'status-context': use one line of at most 100 characters, e.g. change-gate.")
  return {
    token,
    mode,
    configPath: get('config') || '.github/change-gate.yml',
    policiesPath: get('policies'),
    bundle: get('bundle'),
    statusContext,
    comment: bool('comment', get('comment'), false),
    failOn: choice('fail-on', get('fail-on'), FAIL_ON, 'deny'),
    evidenceStore: get('evidence-store')
  }
}
