// On-call training: the page and nothing more, the trainee's own investigation and runbooks,
// then a debrief; progress kept and listed.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { exportsOf, startTraining } from '../helpers/train.js';

const stateDir = mkdtempSync(join(tmpdir(), 'runbook-train-'));
const env = cleanEnv({ RUNBOOK_STATE_DIR: stateDir });

describe('runbook train', () => {
  it('pages, lets the trainee recover with a runbook, then debriefs and keeps the progress', async () => {
    const kubeconfig = join(stateDir, 'surge.kubeconfig');
    const { trainer, briefing } = await startTraining(
      '2020-12-11-postgres-conn-surge',
      ['--kubeconfig', kubeconfig],
      { env },
    );
    assert.match(briefing, /^PAGER {2}13:24 UTC: .*too many clients/m);
    assert.doesNotMatch(briefing, /postgres-remount/, 'the page does not give the answer away');

    const linode = exportsOf(briefing);
    const trainee = {
      env: { ...env, LINODE_API_URL: linode.LINODE_API_URL ?? '', LINODE_TOKEN: linode.LINODE_TOKEN ?? '' },
    };
    // A rehearsal first: its dryRun=All requests change nothing and are not counted.
    const rehearsal = await runCli(['postgres-remount', '--dry-run', '--kubeconfig', kubeconfig], trainee);
    assert.equal(rehearsal.exitCode, 0, rehearsal.stderr);
    const run = await runCli(['postgres-remount', '--yes', '--kubeconfig', kubeconfig], trainee);
    assert.equal(run.exitCode, 0, run.stderr);

    const done = await trainer;
    assert.equal(done.exitCode, 0, done.stderr);
    assert.match(done.stdout, /✔ Incident resolved\./);
    assert.match(done.stdout, /Recovered after \d+\.\d simulated minutes/);
    assert.match(done.stdout, /What you changed \(4\):/);
    assert.match(done.stdout, /^Not counted as changes: \d+ server-side dry runs \(dryRun=All\)/m);
    assert.match(done.stdout, /detached Linode volume \d+: a detach under a running database/);
    assert.match(done.stdout, /The runbook for this night: `runbook postgres-remount`/);
    assert.match(done.stdout, /Runbooks you ran: postgres-remount \(run \S+, finished\)/);
  });

  it('giving up ends the training with a debrief too', async () => {
    const { trainer } = await startTraining(
      '2021-07-11-cascading-node-failures',
      ['--kubeconfig', join(stateDir, 'volumes.kubeconfig')],
      { env },
    );
    trainer.kill('SIGINT');
    const done = await trainer;
    assert.equal(done.exitCode, 0, done.stderr);
    assert.match(done.stdout, /✖ You gave up\./);
    assert.match(done.stdout, /Not recovered after/);
    assert.ok(
      done.stdout.includes(
        'That night began at 00:27 UTC and was still not over at 06:36 UTC: at least 369 minutes ("it took multiple hours for this to be resolved"). The postmortem does not record when it ended.',
      ),
      done.stdout,
    );
    assert.match(done.stdout, /You changed nothing\./);
  });

  it('--history lists who rehearsed what, and how it went', async () => {
    const result = await runCli(['train', '--history', '--output', 'json'], { env });
    assert.equal(result.exitCode, 0, result.stderr);
    const records = JSON.parse(result.stdout) as Array<{
      scenario: string;
      recovered: boolean;
      runbooks: string[];
    }>;
    assert.deepEqual(
      records.map((r) => [r.scenario, r.recovered, r.runbooks]),
      [
        ['2020-12-11-postgres-conn-surge', true, ['postgres-remount']],
        ['2021-07-11-cascading-node-failures', false, []],
      ],
    );
  });

  it('the all-services night ends through runbooks alone, with the team repository the page points to', async () => {
    const kubeconfig = join(stateDir, 'outage.kubeconfig');
    const { trainer, briefing } = await startTraining(
      '2020-12-11-all-services-outage',
      ['--kubeconfig', kubeconfig],
      { env },
    );
    const repo = /The team's kubernetes repository is checked out in (\S+)/.exec(briefing)?.[1];
    assert.ok(repo !== undefined, briefing);
    assert.doesNotMatch(briefing, /core-services-restart/, 'the page does not give the answer away');
    const linode = exportsOf(briefing);
    const run = await runCli(
      ['core-services-restart', '--yes', '--manifests', repo, '--kubeconfig', kubeconfig],
      {
        env: { ...env, LINODE_API_URL: linode.LINODE_API_URL ?? '', LINODE_TOKEN: linode.LINODE_TOKEN ?? '' },
      },
    );
    assert.equal(run.exitCode, 0, run.stderr + run.stdout);
    const done = await trainer;
    assert.equal(done.exitCode, 0, done.stderr);
    assert.match(done.stdout, /✔ Incident resolved\./);
    assert.ok(
      done.stdout.includes(
        `The runbook for this night: \`runbook core-services-restart --manifests ${repo}\` (\`runbook show core-services-restart\` explains it).`,
      ),
      done.stdout,
    );
    assert.match(
      done.stdout,
      /Recovered after \d+\.\d simulated minutes: every node Ready; every workload in kube-system has its replicas Ready; postgres Ready; every workload in default has its replicas Ready\./,
    );
    assert.ok(
      done.stdout.includes(
        'That night began at 19:55 UTC ("we restarted core services one by one until they stabilised"). The postmortem does not record when it ended or how long it took.',
      ),
      done.stdout,
    );
    assert.ok(repo.startsWith(join(stateDir, 'training', '2020-12-11-all-services-outage-')), repo);
    assert.doesNotMatch(
      done.stdout + run.stdout + run.stderr,
      /5f0e1c2b9a8d4e7f/,
      'the Secret value was shown',
    );
  });

  it('a scenario with nothing to recover from cannot be trained', async () => {
    const result = await runCli(['train', 'healthy'], { env });
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /Scenario healthy has no incident to recover from/);
  });
});
