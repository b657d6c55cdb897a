/**
 * Change classification from the changed paths and the configured globs (DESIGN §5). File contents
 * are not part of the facts, so DDL is recognised by path (migrations, *.sql), not by statements;
 * the document says so in `change.classification.method`.
 */
import type { ClassifiedType, Config } from '../config/types.js'
import { matchesAny } from './glob.js'
import { CHANGE_TYPES, type ChangeType } from './types.js'

export function classify(paths: readonly string[], config: Config): { types: ChangeType[]; paths_by_type: Partial<Record<ChangeType, string[]>> } {
  const byType: Partial<Record<ChangeType, string[]>> = {}
  for (const path of paths) {
    let matched = false
    for (const type of Object.keys(config.classification) as ClassifiedType[]) {
      if (matchesAny(config.classification[type], path)) {
        ;(byType[type] ??= []).push(path)
        matched = true
      }
    }
    if (!matched) (byType.APPLICATION ??= []).push(path)
  }
  const types = CHANGE_TYPES.filter((t) => byType[t]?.length)
  const paths_by_type: Partial<Record<ChangeType, string[]>> = {}
  for (const t of types) paths_by_type[t] = [...byType[t]!].sort()
  return { types, paths_by_type }
}

/** Configured systems whose globs match a changed path, sorted; none matched → the repository itself. */
export function affectedSystems(paths: readonly string[], config: Config, repository: string): string[] {
  const systems = Object.entries(config.affected_systems)
    .filter(([, globs]) => paths.some((p) => matchesAny(globs, p)))
    .map(([name]) => name)
    .sort()
  return systems.length ? systems : [repository]
}
