import { describe, expect, test } from '@jest/globals'
import { CasConflict, EvidenceStoreError, withCasRetry } from '../../src/evidence/store.js'

describe('withCasRetry', () => {
  test('redoes the attempt after a conflict and returns its result', async () => {
    const delays: number[] = []
    let calls = 0
    const result = await withCasRetry('x', async (n) => {
      calls++
      if (n < 3) throw new CasConflict()
      return n
    }, { sleep: async (ms) => void delays.push(ms) })
    expect(result).toBe(3)
    expect(calls).toBe(3)
    expect(delays).toHaveLength(2)
  })

  test('gives up with a clear error saying the record was not written', async () => {
    await expect(withCasRetry('appending A to S', async () => { throw new CasConflict('moved') }, { attempts: 4, sleep: async () => {} }))
      .rejects.toThrow(/appending A to S: gave up after 4 attempts .*moved.*The record was NOT written\. Re-run the job/)
    await expect(withCasRetry('x', async () => { throw new CasConflict() }, { attempts: 2, sleep: async () => {} })).rejects.toBeInstanceOf(EvidenceStoreError)
  })

  test('any other error stops at once', async () => {
    let calls = 0
    await expect(withCasRetry('x', async () => { calls++; throw new Error('disk full') }, { sleep: async () => {} })).rejects.toThrow('disk full')
    expect(calls).toBe(1)
  })

  test('backoff grows and is capped', async () => {
    const delays: number[] = []
    await expect(withCasRetry('x', async () => { throw new CasConflict() }, { attempts: 12, baseDelayMs: 10, maxDelayMs: 100, sleep: async (ms) => void delays.push(ms) })).rejects.toThrow()
    expect(Math.max(...delays)).toBeLessThanOrEqual(100)
    expect(delays.every((d) => d >= 0)).toBe(true)
  })
})
