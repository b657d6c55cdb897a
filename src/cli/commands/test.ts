/**
 * `change-gate test [paths] [--verbose] [--run REGEX]`: runs the `test_*` rules of Rego files
 * like `opa test`. Exit 0 all passed, 1 a test failed or errored, 2 the policies do not
 * parse or compile, no test was found, or a usage error.
 */
import { RegoErrors } from '../../rego/errors.js'
import { collectRegoFiles, formatTestReport, runRegoTests } from '../../rego/tester.js'
import { fromJSON } from '../../rego/value.js'
import { parseCommandArgs } from '../args.js'
import { EXIT, UsageError, type Command, type ExitCode } from '../command.js'
import { resolve } from 'node:path'

export const testCommand: Command = {
  name: 'test',
  summary: 'run the test_* rules of .rego files, like opa test',
  usage: `Usage: change-gate test [PATH...] [--verbose] [--run REGEX]

Loads every .rego file under the given files and folders (default: the current folder) and
the data.json / data.yaml files there (each merged at its folder's path, as opa test does),
evaluates each rule whose name starts with test_ and reports PASS (the rule is true), FAIL
(false or undefined) or ERROR (evaluation raised). Rules named todo_test_* are skipped.

  --verbose, -v   list every test and what it printed, not only failures
  --run REGEX     only the tests whose name (data.pkg.test_x) matches

Exit codes: 0 all passed, 1 a test failed or errored, 2 the files do not parse or compile,
no test was found, or a usage error.`,
  async run(argv, io): Promise<ExitCode> {
    const { values, positionals } = parseCommandArgs(
      argv,
      { verbose: { type: 'boolean', short: 'v' }, run: { type: 'string' } },
      { max: Number.MAX_SAFE_INTEGER }
    )
    let run: RegExp | undefined
    if (values.run !== undefined) {
      try {
        run = new RegExp(values.run)
      } catch (err) {
        throw new UsageError(`--run is not a valid regular expression: ${(err as Error).message}`)
      }
    }
    const paths = (positionals.length > 0 ? positionals : ['.']).map((p) => resolve(io.cwd, p))
    let sources, data
    try {
      ;({ sources, data } = await collectRegoFiles(paths))
    } catch (err) {
      io.stderr(`change-gate test: cannot load ${paths.join(', ')}: ${(err as Error).message}\n`)
      return EXIT.ERROR
    }
    if (sources.length === 0) {
      io.stderr(`change-gate test: no .rego files under ${paths.join(', ')}\n`)
      return EXIT.ERROR
    }
    let report
    try {
      report = runRegoTests(sources, { ...(run ? { run } : {}), data: fromJSON(data) })
    } catch (err) {
      if (err instanceof RegoErrors) {
        io.stderr(`change-gate test: ${err.errors.length} error(s) loading the policies:\n${err.errors.map((e) => `  ${e.message}`).join('\n')}\n`)
        return EXIT.ERROR
      }
      throw err
    }
    if (report.results.length === 0) {
      io.stderr(`change-gate test: no test rules (test_*) found${run ? ` matching ${run}` : ''} in ${sources.length} file(s)\n`)
      return EXIT.ERROR
    }
    io.stdout(formatTestReport(report, values.verbose === true))
    return report.results.every((r) => r.outcome === 'pass') ? EXIT.OK : EXIT.FAIL
  }
}
