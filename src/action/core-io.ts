/** The RunnerIO over @actions/core: the only place the gate touches the runner's commands. */
import * as core from '@actions/core'
import type { RunnerIO } from './ports.js'

export function coreIO(): RunnerIO {
  return {
    debug: (m) => core.debug(m),
    info: (m) => core.info(m),
    warning: (m) => core.warning(m),
    error: (m) => core.error(m),
    group: (name, fn) => core.group(name, fn),
    setOutput: (name, value) => core.setOutput(name, value),
    writeSummary: async (markdown) => {
      // The step summary is capped at 1 MiB; GitHub drops larger ones without failing the step.
      const text = markdown.length > 1_000_000 ? markdown.slice(0, 1_000_000) + '\n\n_(cut at the 1 MiB step summary limit)_\n' : markdown
      await core.summary.addRaw(text, true).write()
    },
    setFailed: (m) => core.setFailed(m)
  }
}

/** Reads one input the way the runner passes it (INPUT_<NAME>), masking the token. */
export function readInput(name: string): string {
  const value = core.getInput(name)
  if (name === 'token' && value) core.setSecret(value)
  return value
}
