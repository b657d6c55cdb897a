import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { escapeData, inputReader, outputEntry, runnerIO } from '../../src/action/runner-io.js'

/** The runner's protocol as GitHub documents it (workflow commands, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, INPUT_*). */
const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  process.exitCode = undefined
})
function files() {
  const dir = mkdtempSync(join(tmpdir(), 'cg-runner-'))
  dirs.push(dir)
  const env = { GITHUB_OUTPUT: join(dir, 'out'), GITHUB_STEP_SUMMARY: join(dir, 'summary') }
  writeFileSync(env.GITHUB_OUTPUT, '')
  writeFileSync(env.GITHUB_STEP_SUMMARY, '')
  return env
}

describe('runner I/O', () => {
  it('workflow commands escape %, CR and LF so untrusted text cannot start another command', () => {
    const lines: string[] = []
    const io = runnerIO({}, (t) => void lines.push(t))
    io.warning('50% done\n::error::forged')
    io.error('a\r\nb')
    expect(lines).toEqual(['::warning::50%25 done%0A::error::forged\n', '::error::a%0D%0Ab\n'])
    expect(escapeData('%0A')).toBe('%250A')
  })
  it('plain log lines cannot smuggle a workflow command at the start of a line', () => {
    const lines: string[] = []
    const io = runnerIO({}, (t) => void lines.push(t))
    io.info('plain line')
    io.info('title: fix\n::add-mask::x\n  ::error::y')
    expect(lines[0]).toBe('plain line\n')
    const m = /^::stop-commands::([0-9a-f-]{36})\ntitle: fix\n::add-mask::x\n  ::error::y\n::\1::\n$/.exec(lines[1]!)
    expect(m).not.toBeNull()
  })
  it('groups close even when the work throws', async () => {
    const lines: string[] = []
    const io = runnerIO({}, (t) => void lines.push(t))
    await expect(io.group('Facts', async () => { throw new Error('x') })).rejects.toThrow('x')
    expect(lines).toEqual(['::group::Facts\n', '::endgroup::\n'])
  })
  it('outputs go to GITHUB_OUTPUT with a random delimiter, multi-line values intact', () => {
    const env = files()
    const io = runnerIO(env, () => undefined)
    io.setOutput('decision', 'deny')
    io.setOutput('decision-json', '{\n  "decision": "deny"\n}')
    const text = readFileSync(env.GITHUB_OUTPUT, 'utf8')
    const entries = [...text.matchAll(/^([^<\n]+)<<(ghadelimiter_[0-9a-f-]{36})\n([\s\S]*?)\n\2$/gm)].map((m) => [m[1], m[3]])
    expect(entries).toEqual([['decision', 'deny'], ['decision-json', '{\n  "decision": "deny"\n}']])
    expect(() => outputEntry('x', 'a\nEOF\nb', 'EOF')).toThrow(/contains its delimiter/)
  })
  it('the summary is appended to GITHUB_STEP_SUMMARY; setFailed sets exit code 1', async () => {
    const env = files()
    const io = runnerIO(env, () => undefined)
    await io.writeSummary('## one')
    await io.writeSummary('## two\n')
    expect(readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8')).toBe('## one\n## two\n')
    io.setFailed('denied')
    expect(process.exitCode).toBe(1)
  })
  it('inputs come from INPUT_<NAME> trimmed; the token is masked before use', () => {
    const lines: string[] = []
    const read = inputReader({ INPUT_TOKEN: ' ghs_x ', 'INPUT_STATUS-CONTEXT': 'gate', INPUT_MY_INPUT: 'v' }, (t) => void lines.push(t))
    expect(read('token')).toBe('ghs_x')
    expect(read('status-context')).toBe('gate')
    expect(read('my input')).toBe('v')
    expect(read('missing')).toBe('')
    expect(lines).toEqual(['::add-mask::ghs_x\n'])
  })
})
