/**
 * Path globs for classification: `*` any characters within a segment, `**` any number of whole
 * segments (a `**` segment also matches none), `?` one character, `[abc]` a class, `{a,b}`
 * alternatives. Paths use `/`; dot files are matched like any other. Compiled once to a RegExp
 * whose only repetition is `[^/]*` / `.*` over literal anchors.
 */

const cache = new Map<string, RegExp>()

function escape(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch
}

function translate(glob: string): string {
  let re = ''
  let i = 0
  let braces = 0
  while (i < glob.length) {
    const ch = glob[i]!
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/'
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/'
        if (atStart && atEnd) {
          // `**/` → zero or more whole segments; a trailing `**` → everything below.
          if (i + 2 === glob.length) re += '.*'
          else re += '(?:[^/]*/)*'
          i += 3
          continue
        }
        re += '[^/]*'
        i += 2
        continue
      }
      re += '[^/]*'
    } else if (ch === '?') re += '[^/]'
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 2)
      if (end === -1) re += '\\['
      else {
        let body = glob.slice(i + 1, end)
        if (body.startsWith('!')) body = `^${body.slice(1)}`
        re += `[${body.replace(/\\/g, '\\\\')}]`
        i = end
      }
    } else if (ch === '{') {
      braces++
      re += '(?:'
    } else if (ch === '}' && braces > 0) {
      braces--
      re += ')'
    } else if (ch === ',' && braces > 0) re += '|'
    else re += escape(ch)
    i++
  }
  if (braces > 0) throw new Error(`unbalanced '{' in the glob '${glob}'`)
  return re
}

export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob)
  if (!re) {
    re = new RegExp(`^${translate(glob.replace(/^\.\//, ''))}$`)
    cache.set(glob, re)
  }
  return re
}

export function globMatch(glob: string, path: string): boolean {
  return globToRegExp(glob).test(path)
}

export function matchesAny(globs: readonly string[], path: string): boolean {
  return globs.some((g) => globMatch(g, path))
}
