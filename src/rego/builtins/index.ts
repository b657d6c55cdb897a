/**
 * The builtin registry: every builtin the engine offers, by name. Each area lives in its own
 * file and exports `builtins`. Network builtins (`http.send`, `net.lookup_ip_addr`) are left
 * out on purpose: policy evaluation is sandboxed.
 */
import type { BuiltinDef } from './types.js'
import { builtins as operators } from './operators.js'
import { builtins as aggregates } from './aggregates.js'
import { builtins as collections } from './collections.js'
import { builtins as strings } from './strings.js'
import { builtins as regex } from './regex.js'
import { builtins as glob } from './glob.js'
import { builtins as types } from './types-builtins.js'
import { builtins as encoding } from './encoding.js'
import { builtins as time } from './time.js'
import { builtins as crypto } from './crypto.js'
import { builtins as tokens } from './tokens.js'
import { builtins as net } from './net.js'
import { builtins as misc } from './misc.js'
import { builtins as graphql } from './graphql.js'
import { builtins as aws } from './aws.js'

export const BUILTINS: ReadonlyMap<string, BuiltinDef> = new Map(
  [operators, aggregates, collections, strings, regex, glob, types, encoding, time, crypto, tokens, net, misc, graphql, aws]
    .flat()
    .map((b) => [b.name, b])
)
