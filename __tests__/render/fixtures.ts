import type { Decision } from '../../src/engine/decision.js'

const item = (code: string, title: string, message: string, remediation: string, facts?: unknown) => ({
  code,
  title,
  message,
  control: 'CC8.1',
  severity: 'high',
  remediation,
  ...(facts === undefined ? {} : { facts })
})

export const denyDecision: Decision = {
  decision: 'deny',
  allow: false,
  violations: [
    item('approval/second-approver', 'Second approver', 'Needs 1 approval from someone other than the author; found 0 (alice approved an older commit)', 'Ask a reviewer who did not write or commit to this PR to approve the head commit.', { approvers: [], stale: ['alice'] }),
    item('ticket/reference', 'Ticket reference', 'No ticket key found in the title, branch, body or commit messages', 'Add a ticket key such as ABC-123 to the PR title.')
  ],
  warnings: [],
  pending: [item('tests/passing', 'Passing tests', 'Check "build" is still running', 'Wait for the check to finish.')],
  exceptions: [],
  passed: [item('rollback/plan', 'Rollback plan', 'Rollback plan section has 120 characters', 'Describe how to roll back.')]
}

export const allowDecision: Decision = {
  decision: 'allow',
  allow: true,
  violations: [],
  warnings: [],
  pending: [],
  exceptions: [],
  passed: [item('approval/second-approver', 'Second approver', 'Approved by bob on the head commit', 'n/a')]
}

/** A message carrying hostile PR text. */
export const hostileDecision: Decision = {
  ...denyDecision,
  violations: [item('ticket/reference', 'Ticket | reference', 'Title "<img src=x onerror=alert(1)> | `rm -rf` @octocat [click](https://evil.example) #1"', 'Fix **it**\nnow')],
  pending: [],
  passed: []
}
