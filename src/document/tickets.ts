/**
 * Ticket references (Jira-style `ABC-123`, ServiceNow `CHG0012345`, ...) found with the configured
 * RE2 patterns — linear time on untrusted text — in the configured sources. Keys inside code blocks
 * or inline code do not count: a key quoted in a log excerpt is not a reference.
 */
import { RE2JS } from 're2js'
import type { Config } from '../config/types.js'
import { proseOf, stripInlineCode } from './markdown.js'
import type { Ticket, TicketSource } from './types.js'

const compiled = new Map<string, RE2JS>()
function re2(pattern: string): RE2JS {
  let re = compiled.get(pattern)
  if (!re) {
    re = RE2JS.compile(pattern)
    compiled.set(pattern, re)
  }
  return re
}

export function findKeys(text: string, patterns: readonly string[]): string[] {
  const keys: string[] = []
  for (const p of patterns) {
    const m = re2(p).matcher(text)
    while (m.find()) {
      const key = m.group()
      if (key) keys.push(key)
    }
  }
  return keys
}

/** The project of a key: what precedes the first dash (`ABC` of `ABC-123`), else the leading letters (`CHG`). */
export function projectOf(key: string): string {
  const dash = key.indexOf('-')
  return dash > 0 ? key.slice(0, dash) : (/^[A-Za-z]+/.exec(key)?.[0] ?? key)
}

export interface TicketTexts {
  title: string
  branch: string
  body: string
  commits: string[]
}

export function extractTickets(texts: TicketTexts, rule: Config['rules']['ticket_reference']): Ticket[] {
  const texts_by_source: Record<TicketSource, string[]> = {
    // Titles render inline code too: a key in backticks is quoted, not referenced.
    title: [stripInlineCode(texts.title)],
    branch: [texts.branch],
    body: [proseOf(texts.body)],
    commits: texts.commits.map(proseOf)
  }
  const projects = new Set(rule.project_keys.map((k) => k.toUpperCase()))
  const seen = new Set<string>()
  const out: Ticket[] = []
  for (const source of rule.sources) {
    for (const text of texts_by_source[source]) {
      for (const key of findKeys(text, rule.patterns)) {
        if (projects.size && !projects.has(projectOf(key).toUpperCase())) continue
        const id = `${source}\u0000${key}`
        if (seen.has(id)) continue
        seen.add(id)
        out.push({ key, source })
      }
    }
  }
  return out
}
