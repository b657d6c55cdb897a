import { main } from './main.js'

process.on('unhandledRejection', (reason) => {
  process.stderr.write(`change-gate: unexpected failure: ${reason instanceof Error ? reason.stack : String(reason)}\n`)
  process.exitCode = 2
})

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  isTTY: Boolean(process.stderr.isTTY)
})
process.exitCode = code
