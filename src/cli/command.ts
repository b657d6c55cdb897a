/**
 * The CLI's command contract. Each command is a file under `src/cli/commands/` that exports a
 * `Command`; `src/cli/main.ts` dispatches on the first argument. Commands return an exit code
 * and never call `process.exit`; all I/O goes through `CliIO` so tests can inject it.
 */

export const EXIT = { OK: 0, FAIL: 1, ERROR: 2 } as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

export interface CliIO {
  stdout(text: string): void
  stderr(text: string): void
  readonly env: Readonly<Record<string, string | undefined>>
  readonly cwd: string
  /** True when stderr is a terminal: long work may show progress there. */
  readonly isTTY: boolean
}

export interface Command {
  readonly name: string
  /** One line for `change-gate help`. */
  readonly summary: string
  /** The full usage text for `change-gate help <name>` and usage errors. */
  readonly usage: string
  run(argv: string[], io: CliIO): Promise<ExitCode>
}

/** A usage mistake: the CLI prints the message and the command's usage, and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}
