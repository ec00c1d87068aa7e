// The debrief tells the truth: what a trainee changed counts only what changed something (never a
// read, a server-side dry run or an access review, as the real kubectl sends them), and the night's
// facts are the postmortem's own words.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { debrief, isChange } from '../../src/training/debrief.js';
import { REAL_RECOVERY, nightSentence } from '../../src/training/postmortem-durations.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';
import { KUBECTL, kubectlMissing } from '../sim/kube/kubectl.js';

const POSTMORTEMS = join(import.meta.dirname, '..', '..', 'docs', 'postmortems');
const flat = (text: string): string => text.replace(/\s+/g, ' ');

describe('what the trainee changed', { skip: kubectlMissing }, () => {
  let h: SimHarness;
  const cache = mkdtempSync(join(tmpdir(), 'runbook-debrief-kubectl-'));
  const kubectl = (...args: string[]): Promise<string> =>
    new Promise((resolve, reject) => {
      execFile(
        KUBECTL,
        ['--kubeconfig', h.kubeconfig, '--cache-dir', cache, ...args],
        { timeout: 60_000 },
        (error, stdout, stderr) => (error === null ? resolve(stdout) : reject(new Error(stderr))),
      );
    });

  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
  });
  after(() => h.stop());

  it('counts neither reads, nor dryRun=All (query or body), nor access reviews: only the one real change', async () => {
    await kubectl('get', 'pods', '-A');
    await kubectl('auth', 'can-i', 'delete', 'deployments');
    await kubectl('scale', 'deployment/postgres', '--replicas=0', '--dry-run=server');
    await kubectl('delete', 'deployment/postgres', '--dry-run=server');
    await kubectl('annotate', 'deployment/postgres', 'trainee=looked', '--dry-run=server');
    await kubectl('scale', 'deployment/postgres', '--replicas=0');

    const lines = debrief({
      scenario: '2020-12-11-postgres-conn-surge',
      runbook: 'postgres-remount',
      recovery: [['postgres-remount']],
      recovered: false,
      detail: 'postgres is down',
      simMinutes: 2,
      requests: h.sim.requests,
    });
    const text = lines.join('\n');
    assert.match(text, /^What you changed \(1\):$/m, text);
    assert.match(text, /^ {2}\d\d:\d\d:\d\d {2}scaled deployment default\/postgres$/m, text);
    assert.doesNotMatch(text, /deleted deployment/, 'the dry-run delete was counted');
    assert.match(
      text,
      /^Not counted as changes: 3 server-side dry runs \(dryRun=All\), 1 access review \(can-i\)\.$/m,
    );
    assert.ok(
      h.sim.requests.some((r) => r.method === 'DELETE' && r.dryRun === true),
      'kubectl sent its dry-run delete with DeleteOptions in the body',
    );
    assert.ok(h.sim.requests.some((r) => /selfsubjectaccessreviews$/.test(r.path) && !isChange(r)));
  });
});

describe("the night's facts, from its postmortem", () => {
  for (const [name, real] of Object.entries(REAL_RECOVERY)) {
    it(`${name}: every time and quote is in the postmortem`, () => {
      const text = flat(readFileSync(join(POSTMORTEMS, `${name}.rst`), 'utf8'));
      assert.ok(text.includes(real.quote), real.quote);
      for (const time of [real.began.at, real.ended, real.stillDownAt]) {
        if (time === undefined) continue;
        const [hh, mm] = time.split(/[: ]/);
        assert.match(text, new RegExp(`\\b0?${String(Number(hh))}:${mm ?? ''}\\b`), time);
      }
      if (real.minutes !== undefined && real.stillDownAt === undefined)
        assert.match(text, new RegExp(`\\b${String(real.minutes)} minutes\\b`));
    });
  }

  it('says "not recorded" only for what the postmortem does not record', () => {
    assert.equal(
      nightSentence(REAL_RECOVERY['2021-01-10-primary-kubernetes-node-outage']),
      'That night began at 20:20 UTC and ended at 20:46 UTC: about 26 minutes ("The incident lasted overall around 26 minutes").',
    );
    assert.equal(
      nightSentence(REAL_RECOVERY['2020-12-11-postgres-conn-surge']),
      'That night was noticed at 13:24 UTC ("resolved by taking down Postgres, remounting the associated volume, and bringing it back up again"). The postmortem does not record when it ended or how long it took.',
    );
    assert.match(
      nightSentence(REAL_RECOVERY['2021-07-11-cascading-node-failures']),
      /still not over at 06:36 UTC: at least 369 minutes .* does not record when it ended\.$/,
    );
  });

  it('a sole recovery command that is the runbook is said once', () => {
    const lines = debrief({
      scenario: '2021-01-10-primary-kubernetes-node-outage',
      runbook: 'node-recycle',
      recovery: [['node-recycle', '--node', 'n1']],
      recovered: true,
      detail: 'every node Ready',
      simMinutes: 3,
      requests: [],
    });
    const text = lines.join('\n');
    assert.equal(
      lines.filter((l) => /runbook node-recycle/.test(l)).length,
      1,
      `the command is said once:\n${text}`,
    );
    assert.match(
      text,
      /^The runbook for this night: `runbook node-recycle --node n1` \(`runbook show node-recycle` explains it\)\.$/m,
    );
  });
});
