import type { CliIO } from '../../src/cli/command.js'
import { main } from '../../src/cli/main.js'
import type { RecordDraft } from '../../src/evidence/record.js'
import { changeId } from '../../src/evidence/change-id.js'

/** A valid merge-record draft for tests; `n` makes the PR number and change_id distinct. */
export function draft(n: number, over: Partial<RecordDraft> = {}): RecordDraft {
  const day = String(1 + (n % 28)).padStart(2, '0')
  return {
    schema: 'change-gate/record/v1',
    kind: 'merge',
    stream: 'github.com/acme/app',
    recorded_at: `2026-03-${day}T10:00:00Z`,
    change_id: changeId({ repository: 'acme/app', kind: 'merge', subject: n }),
    change_ts: `2026-03-${day}T09:59:00Z`,
    changed_by: 'alice',
    approved_by: ['bob'],
    change_type: ['APPLICATION'],
    change_desc: `Change number ${n}`,
    affected_systems: ['app'],
    ticket_reference: [`ABC-${n}`],
    rollback_plan: 'Revert the feature flag billing_v2 and redeploy the previous image.',
    change_outcome: 'MERGED',
    repository: 'acme/app',
    pr: { number: n, url: `https://github.com/acme/app/pull/${n}` },
    base_sha: 'a'.repeat(40),
    head_sha: 'b'.repeat(40),
    merge_sha: 'c'.repeat(40),
    environment: null,
    decision: { verdict: 'allow', violations: [], exceptions: [] },
    policy_digest: 'sha256:' + 'd'.repeat(64),
    input_digest: 'sha256:' + 'e'.repeat(64),
    run_url: 'https://github.com/acme/app/actions/runs/1',
    links: {},
    ...over
  }
}

/** Runs the CLI in-process with captured output. */
export async function runCli(argv: string[], options: { env?: Record<string, string>; cwd?: string; isTTY?: boolean } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIO = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    isTTY: options.isTTY ?? false
  }
  const code = await main(argv, io)
  return { code, stdout, stderr }
}
