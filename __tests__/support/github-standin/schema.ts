import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildSchema, type GraphQLSchema } from 'graphql'

/** GitHub's published GraphQL schema (IDL from @octokit/graphql-schema). */
export const SCHEMA_IDL_PATH = fileURLToPath(new URL('../../../node_modules/@octokit/graphql-schema/schema.graphql', import.meta.url))

let cached: GraphQLSchema | undefined
export function githubSchema(): GraphQLSchema {
  // The published IDL defines two EnterpriseOwnerInfo fields twice; skip the SDL lint, keep the types.
  cached ??= buildSchema(readFileSync(SCHEMA_IDL_PATH, 'utf8'), { assumeValidSDL: true })
  return cached
}
