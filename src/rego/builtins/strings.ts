import { str } from './args.js'
import type { BuiltinDef } from './types.js'

export const builtins: BuiltinDef[] = [
  { name: 'upper', args: ['string'], result: 'string', impl: (a) => str(a, 0).toUpperCase() },
  { name: 'lower', args: ['string'], result: 'string', impl: (a) => str(a, 0).toLowerCase() },
]
