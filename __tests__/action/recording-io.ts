import type { RunnerIO } from '../../src/action/ports.js'

/** A RunnerIO that records everything (the action's core adapter is exercised by the e2e test). */
export function recordingIO() {
  const log: string[] = []
  const outputs: Record<string, string> = {}
  const summaries: string[] = []
  const failures: string[] = []
  const io: RunnerIO = {
    debug: (m) => void log.push(`debug: ${m}`),
    info: (m) => void log.push(m),
    warning: (m) => void log.push(`warning: ${m}`),
    error: (m) => void log.push(`error: ${m}`),
    group: async (_name, fn) => fn(),
    setOutput: (name, value) => void (outputs[name] = value),
    writeSummary: async (md) => void summaries.push(md),
    setFailed: (m) => void failures.push(m)
  }
  return { io, log, outputs, summaries, failures }
}
