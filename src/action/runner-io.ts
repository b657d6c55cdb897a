/**
 * The RunnerIO over the GitHub Actions runner's own protocol — workflow commands on stdout
 * (`::warning::`, `::group::`, `::add-mask::`), the files named by GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY, INPUT_* variables, and the exit code. Written here instead of importing
 * @actions/core, whose HTTP client (undici, for OIDC tokens the gate never asks for) made up a
 * quarter of the bundle and 100–200 ms of every start.
 */
import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import type { RunnerIO } from './ports.js'

type Env = Record<string, string | undefined>

/** Workflow command data escaping: the runner decodes %25, %0D and %0A. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** One GITHUB_OUTPUT entry: `name<<delimiter`, the value, the delimiter (a multi-line value is safe). */
export function outputEntry(name: string, value: string, delimiter = `ghadelimiter_${randomUUID()}`): string {
  if (name.includes(delimiter) || value.includes(delimiter)) throw new Error(`the output ${name} contains its delimiter; refusing to write it`)
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`
}

/** The step summary is capped at 1 MiB; GitHub drops larger ones without failing the step. */
const SUMMARY_LIMIT = 1_000_000

export function runnerIO(env: Env = process.env, write: (text: string) => void = (t) => void process.stdout.write(t)): RunnerIO {
  const command = (name: string, text: string) => write(`::${name}::${escapeData(text)}\n`)
  const io: RunnerIO = {
    debug: (m) => command('debug', m),
    // A line starting with `::` (after leading spaces, which the runner trims) would be read as a
    // workflow command, and log text may come from a PR: such text is printed with commands stopped.
    info: (m) => {
      if (!/^\s*::/m.test(m)) return write(`${m}\n`)
      const token = randomUUID()
      write(`::stop-commands::${token}\n${m}\n::${token}::\n`)
    },
    warning: (m) => command('warning', m),
    error: (m) => command('error', m),
    async group(name, fn) {
      command('group', name)
      try {
        return await fn()
      } finally {
        write('::endgroup::\n')
      }
    },
    setOutput(name, value) {
      const file = env.GITHUB_OUTPUT
      if (!file) {
        io.info(`output ${name}=${value.length > 200 ? `${value.slice(0, 200)}…` : value} (GITHUB_OUTPUT is not set: not running as a workflow step)`)
        return
      }
      appendFileSync(file, outputEntry(name, value), 'utf8')
    },
    async writeSummary(markdown) {
      const file = env.GITHUB_STEP_SUMMARY
      if (!file) return
      const text = markdown.length > SUMMARY_LIMIT ? markdown.slice(0, SUMMARY_LIMIT) + '\n\n_(cut at the 1 MiB step summary limit)_\n' : markdown
      appendFileSync(file, text.endsWith('\n') ? text : `${text}\n`, 'utf8')
    },
    setFailed(m) {
      process.exitCode = 1
      command('error', m)
    }
  }
  return io
}

/** An input as the runner passes it (INPUT_<NAME>, spaces as underscores), trimmed; the token is masked. */
export function inputReader(env: Env = process.env, write: (text: string) => void = (t) => void process.stdout.write(t)): (name: string) => string {
  return (name) => {
    const value = (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim()
    if (name === 'token' && value) write(`::add-mask::${escapeData(value)}\n`)
    return value
  }
}
