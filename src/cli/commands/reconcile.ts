import { EXIT, type Command } from '../command.js'
import { dateBound, format, ownerRepo, parseCommandArgs, required } from '../args.js'
import { storeFromCli, readVerified } from '../store.js'
import { reconcile } from '../../evidence/reconcile.js'
import { apiUrls, createGitHubClient } from '../../github/client.js'
import { GitHubMergedPullRequests } from '../../github/merged-pulls.js'

export const reconcileCommand: Command = {
  name: 'reconcile',
  summary: 'Check that every PR merged in a period has exactly one merge record',
  usage: `Usage: change-gate reconcile --store URL --repo OWNER/NAME --from DATE --to DATE [--base BRANCH] [--format text|json]

Lists the pull requests GitHub reports as merged into --base (default: the repository's default
branch) in the period and matches them with the log's merge records. Reports PRs with no record
(missing), PRs with more than one (duplicated), and merge records of the period that GitHub does
not list (unmatched). Uses GITHUB_TOKEN and GITHUB_API_URL (GitHub Enterprise Server works).

Exit codes: 0 complete, 1 findings or a broken log, 2 usage or runtime error.`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      store: { type: 'string' },
      repo: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      base: { type: 'string' },
      format: { type: 'string' }
    })
    const fmt = format(values.format, ['text', 'json'] as const)
    const repo = ownerRepo(values.repo).full_name
    const from = dateBound(required(values.from, 'from'), 'from', false)!
    const to = dateBound(required(values.to, 'to'), 'to', true)!
    const store = storeFromCli(values.store, io)
    const lister = new GitHubMergedPullRequests(createGitHubClient({ token: io.env.GITHUB_TOKEN ?? '', ...apiUrls({}, io.env) }))
    const base = values.base ?? (await lister.defaultBranch(repo))
    const prs = await lister.listMergedPullRequests(repo, base, from, to)
    const { records, verify } = await readVerified(store, io)
    const result = reconcile(repo, base, from, to, prs, records)
    if (fmt === 'json') io.stdout(JSON.stringify({ ...result, ok: result.ok && verify.ok, verify: { ok: verify.ok, first_broken: verify.first_broken } }, null, 2) + '\n')
    else {
      const lines = [
        `${repo} into ${base}, ${result.period.from} .. ${result.period.to}`,
        `${result.merged_pull_requests} merged pull requests in GitHub, ${result.matched} with exactly one merge record`
      ]
      for (const m of result.missing) lines.push(`MISSING    PR #${m.number} merged ${m.merged_at} has no merge record  ${m.url}`)
      for (const d of result.duplicated) lines.push(`DUPLICATED PR #${d.number} has ${d.seqs.length} merge records (seq ${d.seqs.join(', ')})`)
      for (const u of result.unmatched) lines.push(`UNMATCHED  record ${u.seq} (${u.change_id}) is for PR #${u.number}, which GitHub does not list as merged into ${base} in the period`)
      if (!verify.ok) lines.push(`BROKEN LOG at record ${verify.first_broken!.seq}: ${verify.first_broken!.message}`)
      lines.push(result.ok && verify.ok ? 'OK: the log is complete for the period.' : 'FINDINGS: the log does not match GitHub for the period.')
      io.stdout(lines.join('\n') + '\n')
    }
    return result.ok && verify.ok ? EXIT.OK : EXIT.FAIL
  }
}
