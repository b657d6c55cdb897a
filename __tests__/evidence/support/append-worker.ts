// A separate writer process for the concurrency test: appends records to a git evidence branch.
// Usage: node --import tsx append-worker.ts <repo> <writer> <count> <go-file>
// It prints "ready", waits until <go-file> exists (so all writers start together), then appends.
import { existsSync } from 'node:fs'
import { GitLocalStore } from '../../../src/evidence/backends/git-local.js'
import { draft } from '../helpers.js'

const [repo, writer, count, goFile] = process.argv.slice(2)
const store = new GitLocalStore(repo!)
process.stdout.write('ready\n')
while (!existsSync(goFile!)) await new Promise((r) => setTimeout(r, 5))
let attempts = 0
for (let i = 0; i < Number(count); i++) {
  const r = await store.append(draft(1000 * (Number(writer) + 1) + i))
  attempts += r.attempts
}
process.stdout.write(JSON.stringify({ writer: Number(writer), attempts }) + '\n')
