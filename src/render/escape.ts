/**
 * Escaping of untrusted text (PR titles, branch names, commit messages, policy messages that quote
 * them) for Markdown and HTML. The output is plain text on GitHub: no markup, no links, no
 * mentions, and it cannot break out of a table cell.
 */

const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+!|~>]/g
const HTML_SPECIAL: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for a Markdown paragraph or table cell: one line, inert. */
export function escapeMarkdown(text: string): string {
  return (
    text
      // control characters (except newline/tab, handled below) are dropped
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
      .replace(/[&<>"']/g, (c) => HTML_SPECIAL[c] ?? c)
      .replace(MARKDOWN_SPECIAL, (c) => (c === '>' ? c : `\\${c}`))
      // @mention and #123 references: a zero-width joiner breaks the autolink
      .replace(/@(?=[A-Za-z0-9])/g, '@\u200b')
      // bare URLs: break the scheme so GitHub does not autolink them
      .replace(/\b(https?|ftp|mailto):/gi, '$1\u200b:')
      .replace(/\bwww\./gi, 'www\u200b.')
      .replace(/\r?\n|\r|\t/g, ' ')
  )
}

/** Escapes text for a code span: backticks cannot close it. */
export function escapeCode(text: string): string {
  const clean = text.replace(/[\r\n\t]/g, ' ').replace(/[<>&]/g, (c) => HTML_SPECIAL[c] ?? c)
  return `<code>${clean.replace(/\|/g, '&#124;').replace(/`/g, '&#96;')}</code>`
}

/** Cuts text to at most `max` characters, marking the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  return text.slice(0, Math.max(0, max - 1)) + '…'
}
