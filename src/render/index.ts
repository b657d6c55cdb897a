import type { Decision } from '../engine/decision.js'
import type { RenderContext } from './context.js'
import { renderJson } from './json.js'
import { renderJunit } from './junit.js'
import { renderSarif } from './sarif.js'
import { renderSummary } from './summary.js'
import { renderText } from './text.js'

export const FORMATS = ['text', 'json', 'markdown', 'sarif', 'junit'] as const
export type Format = (typeof FORMATS)[number]

/** Renders a decision in one of the CLI's formats. */
export function render(format: Format, decision: Decision, context: RenderContext = {}, explain = false): string {
  switch (format) {
    case 'text':
      return renderText(decision, context, explain)
    case 'json':
      return renderJson(decision, explain)
    case 'markdown':
      return renderSummary(decision, context)
    case 'sarif':
      return renderSarif(decision, context)
    case 'junit':
      return renderJunit(decision, context)
  }
}
