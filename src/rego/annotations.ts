/**
 * `# METADATA` blocks: a comment line `# METADATA` followed by comment lines holding YAML,
 * attached to the statement after them. On a package the scope defaults to `package`
 * (or is `subpackages`); on a rule it defaults to `rule` (or is `document`), as in OPA.
 */
import { load as loadYaml } from 'js-yaml'
import type { Annotation, AnnotationScope, Location, Module, Rule } from './ast.js'
import { RegoError, RegoErrors } from './errors.js'
import type { Comment } from './lexer.js'

export interface AnnotationBlock {
  loc: Location
  /** Row of the block's last comment line. */
  endRow: number
  yaml: string
}

function isMarker(c: Comment): boolean {
  return c.loc.col === 1 && c.text.trim().startsWith('METADATA')
}

/** Groups comments into METADATA blocks: the marker and the comment lines right below it. */
export function findAnnotationBlocks(file: string, comments: Comment[]): AnnotationBlock[] {
  const blocks: AnnotationBlock[] = []
  for (let i = 0; i < comments.length; i++) {
    // As in OPA: the marker and its lines start in column 1, on consecutive rows.
    if (!isMarker(comments[i])) continue
    const lines: string[] = []
    let row = comments[i].loc.row
    let j = i + 1
    while (j < comments.length && comments[j].loc.row === row + 1 && comments[j].loc.col === 1 && !isMarker(comments[j])) {
      lines.push(comments[j].text.startsWith(' ') ? comments[j].text.slice(1) : comments[j].text)
      row = comments[j].loc.row
      j++
    }
    blocks.push({ loc: { ...comments[i].loc, file }, endRow: row, yaml: lines.join('\n') })
    i = j - 1
  }
  return blocks
}

function fail(message: string, loc: Location): never {
  throw new RegoErrors([new RegoError('rego_parse_error', message, loc)])
}

/** Parses one block into an annotation of the given default scope. */
export function parseAnnotation(block: AnnotationBlock, defaultScope: AnnotationScope): Annotation {
  let doc: unknown
  try {
    doc = block.yaml.trim() === '' ? {} : loadYaml(block.yaml)
  } catch (e) {
    fail(`yaml: ${(e as Error).message.split('\n')[0]}`, block.loc)
  }
  if (doc === null || doc === undefined) doc = {}
  if (typeof doc !== 'object' || Array.isArray(doc)) fail('yaml: METADATA block must be a mapping of keys to values', block.loc)
  const raw = doc as Record<string, unknown>
  // As in OPA, an entrypoint written above a rule describes the whole document by default.
  const scope = raw.scope ?? (defaultScope === 'rule' && raw.entrypoint === true ? 'document' : defaultScope)
  if (scope !== 'package' && scope !== 'subpackages' && scope !== 'rule' && scope !== 'document') {
    fail(`invalid annotation scope '${String(scope)}'. Use one of 'rule', 'document', 'package', or 'subpackages'`, block.loc)
  }
  const a: Annotation = { loc: block.loc, scope, raw }
  for (const key of ['title', 'description'] as const) {
    if (raw[key] === undefined) continue
    if (typeof raw[key] !== 'string') fail(`invalid ${key}: expected a string`, block.loc)
    a[key] = raw[key] as string
  }
  if (raw.entrypoint !== undefined) {
    if (typeof raw.entrypoint !== 'boolean') fail('invalid entrypoint: expected true or false', block.loc)
    a.entrypoint = raw.entrypoint
  }
  if (raw.organizations !== undefined) {
    if (!Array.isArray(raw.organizations) || raw.organizations.some((o) => typeof o !== 'string')) fail('invalid organizations: expected a list of strings', block.loc)
    a.organizations = raw.organizations as string[]
  }
  if (raw.related_resources !== undefined) {
    if (!Array.isArray(raw.related_resources)) fail('invalid related_resources: expected a list', block.loc)
    a.related_resources = raw.related_resources.map((r) => {
      if (typeof r === 'string') return { ref: r }
      if (r && typeof r === 'object' && typeof (r as { ref?: unknown }).ref === 'string') {
        const rr = r as { ref: string; description?: unknown }
        return typeof rr.description === 'string' ? { ref: rr.ref, description: rr.description } : { ref: rr.ref }
      }
      return fail("invalid related-resource definition: expected a URL string or an object with 'ref'", block.loc)
    })
  }
  if (raw.authors !== undefined) {
    const list = Array.isArray(raw.authors) ? raw.authors : [raw.authors]
    a.authors = list.map((x) => parseAuthor(x, block.loc))
  }
  if (raw.schemas !== undefined) {
    if (!Array.isArray(raw.schemas)) fail('invalid schemas: expected a list', block.loc)
    a.schemas = raw.schemas
  }
  if (raw.custom !== undefined) {
    if (raw.custom === null || typeof raw.custom !== 'object' || Array.isArray(raw.custom)) fail('invalid custom: expected a mapping', block.loc)
    a.custom = raw.custom as Record<string, unknown>
  }
  return a
}

/** `Jane Doe <jane@example.com>`, `Jane Doe`, or `{name, email}`. */
function parseAuthor(x: unknown, loc: Location): { name?: string; email?: string } {
  if (typeof x === 'string') {
    const m = /^(.*?)\s*<([^<>]*)>\s*$/.exec(x.trim())
    if (m) return m[1] ? { name: m[1], email: m[2] } : { email: m[2] }
    if (x.trim() === '') fail('invalid author: empty', loc)
    return { name: x.trim() }
  }
  if (x && typeof x === 'object' && !Array.isArray(x)) {
    const o = x as { name?: unknown; email?: unknown }
    const out: { name?: string; email?: string } = {}
    if (typeof o.name === 'string') out.name = o.name
    if (typeof o.email === 'string') out.email = o.email
    if (out.name === undefined && out.email === undefined) fail("invalid author: expected 'name' or 'email'", loc)
    return out
  }
  return fail('invalid author: expected a string or a mapping', loc)
}

/**
 * The annotation as OPA renders it for `rego.metadata.rule()` / `chain()`: only the fields
 * that are set, authors and related resources in their object form.
 */
export function annotationJSON(a: Annotation): Record<string, unknown> {
  const out: Record<string, unknown> = { scope: a.scope }
  if (a.title !== undefined) out.title = a.title
  if (a.description !== undefined) out.description = a.description
  if (a.entrypoint !== undefined) out.entrypoint = a.entrypoint
  if (a.organizations !== undefined) out.organizations = a.organizations
  if (a.related_resources !== undefined) out.related_resources = a.related_resources
  if (a.authors !== undefined) out.authors = a.authors
  if (a.schemas !== undefined) out.schemas = a.schemas
  if (a.custom !== undefined) out.custom = a.custom
  return out
}

/** Gives each block to the statement that follows it, checking that the scope fits. */
export function attachAnnotations(
  module: Module,
  blocks: AnnotationBlock[],
  statements: { loc: Location; kind: 'package' | 'import' | 'rule'; rule?: Rule }[]
): void {
  for (const block of blocks) {
    const target = statements.find((s) => s.loc.row > block.endRow)
    if (target === undefined) fail('METADATA block is not followed by a package or rule', block.loc)
    if (target.kind === 'package') {
      const a = parseAnnotation(block, 'package')
      if (a.scope !== 'package' && a.scope !== 'subpackages') fail(`annotation scope '${a.scope}' must be applied to rule (have package)`, block.loc)
      module.annotations.push(a)
    } else if (target.kind === 'rule' && target.rule) {
      const a = parseAnnotation(block, 'rule')
      if (a.scope === 'package' || a.scope === 'subpackages') fail(`annotation scope '${a.scope}' must be applied to package (have rule)`, block.loc)
      target.rule.annotations.push(a)
    } else {
      fail('METADATA block must be placed before a package or a rule, not an import', block.loc)
    }
  }
}
