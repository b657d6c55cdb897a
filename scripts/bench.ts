/** Runs every scripts/bench-*.ts in turn (each in its own process) and fails if one fails. */
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'

const scripts = readdirSync(new URL('.', import.meta.url)).filter((f) => /^bench-.+\.ts$/.test(f)).sort()
let failed = 0
for (const script of scripts) {
  console.log(`\n== ${script}`)
  const res = spawnSync(process.execPath, ['--import', 'tsx', new URL(script, import.meta.url).pathname], { stdio: 'inherit' })
  if (res.status !== 0) {
    failed++
    console.error(`${script} failed (exit ${res.status ?? res.signal})`)
  }
}
process.exitCode = failed ? 1 : 0
