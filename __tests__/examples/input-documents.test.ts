import { describe, expect, it } from '@jest/globals'
import { Ajv } from 'ajv'
import { readFileSync } from 'node:fs'

/** The example input documents the README's first command evaluates are valid change-gate/input/v1 documents. */
const schema = JSON.parse(readFileSync(new URL('../../schemas/input.v1.schema.json', import.meta.url), 'utf8'))
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema)

describe('examples/input', () => {
  for (const name of ['pr-compliant', 'pr-noncompliant']) {
    it(`${name}.json validates against schemas/input.v1.schema.json`, () => {
      const doc = JSON.parse(readFileSync(new URL(`../../examples/input/${name}.json`, import.meta.url), 'utf8'))
      const ok = validate(doc)
      expect(validate.errors ?? []).toEqual([])
      expect(ok).toBe(true)
    })
  }
})
