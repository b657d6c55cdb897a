// Bundles the action (dist/index.js) and the CLI (dist/cli.js) with esbuild.
// `node scripts/build.mjs --check` builds into a temporary folder and fails when dist/ differs,
// which is how CI catches a dist/ that was not rebuilt after a change to src/.
// `--outdir DIR` builds elsewhere (the end-to-end test bundles into a temporary folder).
import { build } from 'esbuild'
import { mkdtempSync, readFileSync, readdirSync, rmSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'

const check = process.argv.includes('--check')
const outArg = process.argv.indexOf('--outdir')
const outdir = check ? mkdtempSync(join(tmpdir(), 'change-gate-dist-')) : outArg > 0 && process.argv[outArg + 1] ? process.argv[outArg + 1] : 'dist'
const requireShim = "import { createRequire as __cgCreateRequire } from 'node:module'; const require = __cgCreateRequire(import.meta.url);"

const entries = [
  { in: 'src/index.ts', out: 'index.js', banner: requireShim },
  { in: 'src/cli/bin.ts', out: 'cli.js', banner: '#!/usr/bin/env node\n' + requireShim }
]

if (!check) rmSync(outdir, { recursive: true, force: true })
for (const e of entries) {
  await build({
    entryPoints: [e.in],
    outfile: join(outdir, e.out),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    minify: true,
    legalComments: 'linked',
    banner: { js: e.banner },
    logLevel: 'warning'
  })
}

if (check) {
  const stale = []
  for (const f of readdirSync(outdir)) {
    const committed = join('dist', f)
    if (!existsSync(committed) || !readFileSync(committed).equals(readFileSync(join(outdir, f)))) stale.push(f)
  }
  for (const f of existsSync('dist') ? readdirSync('dist') : []) if (!existsSync(join(outdir, f))) stale.push(f)
  rmSync(outdir, { recursive: true, force: true })
  if (stale.length) {
    console.error(`dist/ is stale (${stale.join(', ')} differ from a fresh build). Run 'npm run build' and commit dist/.`)
    process.exit(1)
  }
  console.log('dist/ is up to date')
} else {
  for (const f of readdirSync(outdir)) console.log(`${join(outdir, f)}  ${readFileSync(join(outdir, f)).length} bytes`)
}
