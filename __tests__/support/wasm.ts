/** Assembles the test-only OPA-ABI module in __fixtures__/wasm from its WAT source. */
import { readFileSync } from 'node:fs'
import wabtInit from 'wabt'

export async function tinyPolicyWasm(): Promise<Uint8Array> {
  const wabt = await wabtInit()
  const source = readFileSync(new URL('../../__fixtures__/wasm/tiny-policy.wat', import.meta.url), 'utf8')
  const module = wabt.parseWat('tiny-policy.wat', source)
  try {
    return new Uint8Array(module.toBinary({}).buffer)
  } finally {
    module.destroy()
  }
}
