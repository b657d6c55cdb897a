/**
 * What the gate needs from the runner, as a small interface: runner-io.ts speaks the runner's
 * own protocol, tests pass a recording fake.
 */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warning(message: string): void
  error(message: string): void
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}

export interface RunnerIO extends Logger {
  setOutput(name: string, value: string): void
  /** Appends Markdown to the job summary. */
  writeSummary(markdown: string): Promise<void>
  setFailed(message: string): void
}
