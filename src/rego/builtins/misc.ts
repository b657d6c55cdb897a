/**
 * Miscellaneous builtins: strict SemVer 2.0 (`semver.*`) and `trace`.
 */
import semver from 'semver'
import { str } from './args.js'
import { BuiltinError, type BuiltinDef } from './types.js'

/** Strict SemVer 2.0: no leading `v`, no loose forms. */
function strict(s: string): semver.SemVer | null {
  const v = semver.parse(s, { loose: false })
  if (v === null) return null
  const canonical = v.version + (v.build.length > 0 ? `+${v.build.join('.')}` : '')
  return canonical === s ? v : null
}

function parseStrict(s: string, operand: number): semver.SemVer {
  const v = strict(s)
  if (v === null) throw new BuiltinError(`operand ${operand}: string "${s}" is not a valid SemVer; use MAJOR.MINOR.PATCH[-pre][+build]`)
  return v
}

export const builtins: BuiltinDef[] = [
  {
    name: 'semver.is_valid',
    args: ['any'],
    result: 'boolean',
    impl: (a) => {
      const s = a[0]
      if (typeof s !== 'string') return false
      return strict(s) !== null
    },
  },
  {
    name: 'semver.compare',
    args: ['string', 'string'],
    result: 'number',
    impl: (a) => semver.compare(parseStrict(str(a, 0), 1), parseStrict(str(a, 1), 2)),
  },
  { name: 'trace', args: ['string'], result: 'boolean', impl: (a) => (str(a, 0), true) },
]
