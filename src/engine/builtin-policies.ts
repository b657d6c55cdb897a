/**
 * Where the built-in policies are. They ship as `.rego` files in `policies/` at the package root,
 * beside `dist/`: the action's checkout and the npm package both hold that folder (package.json
 * `files`). From the bundles (`dist/index.js`, `dist/cli.js`) it is `../policies/`; from the
 * sources (`src/engine/`, run by tsx or jest) it is `../../policies/`. The first folder holding
 * `change_gate/` wins; none found is an error, never an empty policy set.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export function builtinPoliciesDir(from: string = import.meta.url): string {
  const candidates = ['../policies/', '../../policies/'].map((rel) => fileURLToPath(new URL(rel, from)))
  for (const dir of candidates) if (existsSync(join(dir, 'change_gate'))) return dir
  throw new Error(
    `the built-in policies were not found (looked in ${candidates.join(', ')}). ` +
      'Fix: run change-gate from its package or action checkout, which holds policies/ beside dist/.'
  )
}
