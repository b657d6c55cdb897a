/** The action's phases. Being built in issue 3; this placeholder fails closed. */
export async function run(): Promise<void> {
  process.stderr.write('change-gate: the action is not built yet\n')
  process.exitCode = 2
}
