import { EXIT, UsageError, type CliIO, type Command, type ExitCode } from './command.js'
import { appendCommand } from './commands/append.js'
import { verifyCommand } from './commands/verify.js'
import { exportCommand } from './commands/export.js'
import { sampleCommand } from './commands/sample.js'
import { reconcileCommand } from './commands/reconcile.js'
import { reportCommand } from './commands/report.js'
import { testCommand } from './commands/test.js'
import { createEvalCommand } from './commands/eval.js'
import { createDeployCheckCommand } from './commands/deploy-check.js'
import { configData, parseConfig } from '../config/index.js'
import { buildPullRequestDocument } from '../document/index.js'
import { builtinPoliciesDir } from '../engine/builtin-policies.js'
import { loadRegoEngine } from '../engine/rego.js'

/** `eval` over the real core: the built-in policies shipped beside dist/, the config and document builders, the embedded engine. */
const evalCommand = createEvalCommand({
  loadRego: loadRegoEngine,
  // A getter: a missing policies folder is an error decision of `eval`, not a crash of every command.
  get builtinPolicyDirs() {
    return [builtinPoliciesDir()]
  },
  configData: (text, file) => configData(parseConfig(text, file)),
  buildDocument: (facts, text, now, file) => buildPullRequestDocument(facts, parseConfig(text, file), { kind: 'pull_request', now, event: { name: 'cli' } })
})

/** `deploy-check` over the same core as the action's mode: deploy (read-only). */
const deployCheckCommand = createDeployCheckCommand({
  loadRego: loadRegoEngine,
  get builtinPolicyDir() {
    return builtinPoliciesDir()
  }
})

/** Every command of `change-gate`. Add a command by importing it here. */
const COMMANDS: Command[] = [evalCommand, deployCheckCommand, appendCommand, verifyCommand, exportCommand, sampleCommand, reconcileCommand, reportCommand, testCommand]

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), 4)
  return [
    'change-gate: SOC 2 CC8.1 change management as code',
    '',
    'Usage: change-gate <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Exit codes: 0 allow / ok, 1 deny / verification failed, 2 usage or runtime error.',
    "Run 'change-gate help <command>' for a command's options."
  ].join('\n')
}

/** Runs the CLI with the given arguments (without `node` and the script) and returns the exit code. */
export async function main(argv: string[], io: CliIO): Promise<ExitCode> {
  const [name, ...rest] = argv
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const cmd = rest[0] ? COMMANDS.find((c) => c.name === rest[0]) : undefined
    io.stdout((cmd ? cmd.usage : help()) + '\n')
    return name ? EXIT.OK : EXIT.ERROR
  }
  const command = COMMANDS.find((c) => c.name === name)
  if (!command) {
    io.stderr(`change-gate: unknown command '${name}'.\n\n${help()}\n`)
    return EXIT.ERROR
  }
  try {
    return await command.run(rest, io)
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`change-gate ${name}: ${err.message}\n\n${command.usage}\n`)
      return EXIT.ERROR
    }
    const message = err instanceof Error ? err.message : String(err)
    io.stderr(`change-gate ${name}: ${message}\n`)
    return EXIT.ERROR
  }
}
