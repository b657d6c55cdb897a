#!/bin/sh
# The auditor's session of README.md ("For auditors"), on the embedded default store: a git
# repository with the change-gate/evidence branch. Needs only git and Node; no GitHub account.
# Run it from the repository root after `npm ci && npm run build`:
#   sh examples/audit-session.sh
# The README shows these same lines (a test keeps the two equal and runs this file).
set -eu

WORK=${WORK:-$(mktemp -d)}
git init --bare -q "$WORK/evidence.git"
STORE="git+file://$WORK/evidence.git#change-gate/evidence"
for f in examples/evidence/*.json; do node dist/cli.js append --store "$STORE" "$f" >/dev/null; done

node dist/cli.js verify --store "$STORE"
if [ -n "${RECONCILE_REPO:-}" ]; then node dist/cli.js reconcile --store "$STORE" --repo "$RECONCILE_REPO" --from 2026-01-01 --to 2026-03-31; fi
node dist/cli.js sample --store "$STORE" --size 3 --seed soc2-2026-q1 --from 2026-01-01 --to 2026-03-31
node dist/cli.js export --store "$STORE" --format csv --from 2026-01-01 --to 2026-03-31 --output "$WORK/changes-q1.csv"
node dist/cli.js report --store "$STORE" --from 2026-01-01 --to 2026-03-31

git clone -q --branch change-gate/evidence "$WORK/evidence.git" "$WORK/tamper"
perl -pi -e 's/"approved_by":\[\]/"approved_by":["bob"]/' "$WORK/tamper/records/000/000/000000004.json"
git -C "$WORK/tamper" -c user.name=mallory -c user.email=mallory@example.com commit -qam 'Fix typo' && git -C "$WORK/tamper" push -q
node dist/cli.js verify --store "$STORE" || echo "verify exited $?"
