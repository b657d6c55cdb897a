/**
 * Regular-expression builtins with RE2 semantics (linear-time matching through `re2js`).
 * User patterns never reach JavaScript's RegExp.
 */
import { RE2JS } from 're2js'
import { str } from './args.js'
import { BuiltinError, type BuiltinDef } from './types.js'

const CACHE_LIMIT = 500
const compiled = new Map<string, RE2JS>()

/** Compiles a pattern once, keeping at most CACHE_LIMIT patterns (least recently used evicted). */
export function compileRegex(pattern: string): RE2JS {
  const hit = compiled.get(pattern)
  if (hit) {
    compiled.delete(pattern)
    compiled.set(pattern, hit)
    return hit
  }
  let re: RE2JS
  try {
    re = RE2JS.compile(pattern)
  } catch (err) {
    throw new BuiltinError(`invalid regular expression ${JSON.stringify(pattern)}: ${(err as Error).message}; use RE2 syntax`)
  }
  compiled.set(pattern, re)
  if (compiled.size > CACHE_LIMIT) compiled.delete(compiled.keys().next().value as string)
  return re
}

export const builtins: BuiltinDef[] = [
  {
    name: 'regex.match',
    args: ['string', 'string'],
    result: 'boolean',
    impl: (args) => compileRegex(str(args, 0)).test(str(args, 1)),
  },
  {
    name: 'regex.is_valid',
    args: ['any'],
    result: 'boolean',
    impl: (args) => {
      if (typeof args[0] !== 'string') return false
      try {
        compileRegex(args[0])
        return true
      } catch {
        return false
      }
    },
  },
  {
    name: 'regex.replace',
    args: ['string', 'string', 'string'],
    result: 'string',
    impl: (args) => compileRegex(str(args, 1)).matcher(str(args, 0)).replaceAll(str(args, 2), false),
  },
]
