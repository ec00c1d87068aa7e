// `runbook train <scenario> --load <dir>`: a postmortem's night on the shape of the team's own
// cluster. The fault strikes the repository's matching workloads; a night the repository cannot
// take is refused in one sentence, with nothing started or written.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { BIN, ROOT, cleanEnv, runCli } from '../helpers/cli.js';
import { exportsOf, startTraining } from '../helpers/train.js';

const TEAM_REPO = join(ROOT, 'test', 'fixtures', 'team-repo');

/** A repository with one web Deployment: no Postgres, no volume, no LoadBalancer. */
function webOnlyRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-web-repo-'));
  mkdirSync(join(dir, 'web'));
  writeFileSync(
    join(dir, 'web', 'deployment.yaml'),
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web, namespace: default}',
      'spec:',
      '  replicas: 1',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec: {containers: [{name: web, image: "nginx:1.27"}]}',
      '',
    ].join('\n'),
  );
  return dir;
}

describe('runbook train --load <team repository>', () => {
  it("the Postgres surge strikes the repository's Postgres, and postgres-remount ends the night", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'runbook-train-load-'));
    const env = cleanEnv({ RUNBOOK_STATE_DIR: stateDir });
    const kubeconfig = join(stateDir, 'kubeconfig');
    const { trainer, briefing } = await startTraining(
      '2020-12-11-postgres-conn-surge',
      ['--load', TEAM_REPO, '--kubeconfig', kubeconfig],
      { env },
    );
    assert.match(
      briefing,
      /^Your repository .*team-repo: \d+ objects applied, \d+ files skipped, \d+ failed .* The night strikes Deployment default\/postgres\.$/m,
    );
    assert.match(briefing, /^PAGER {2}Your Deployment default\/postgres is at max_connections/m);
    assert.ok(briefing.includes(`The team's kubernetes repository is ${TEAM_REPO}`), briefing);
    assert.doesNotMatch(briefing, /postgres-remount/, 'the page does not give the answer away');

    const linode = exportsOf(briefing);
    const sim = {
      ...env,
      LINODE_API_URL: linode.LINODE_API_URL ?? '',
      LINODE_TOKEN: linode.LINODE_TOKEN ?? '',
    };
    // The night's fault is on the team's Postgres: its pod will not terminate, its volume stays attached.
    const run = await runCli(
      [
        'postgres-remount',
        '--yes',
        '--backup',
        'skip',
        '--deployment',
        'postgres',
        '--kubeconfig',
        kubeconfig,
      ],
      { env: sim },
    );
    assert.equal(run.exitCode, 0, run.stderr + run.stdout);
    assert.match(run.stdout + run.stderr, /force/i, 'the stuck pod needed a forced delete');

    const done = await trainer;
    assert.equal(done.exitCode, 0, done.stderr);
    assert.match(done.stdout, /✔ Incident resolved\./);
    assert.ok(
      done.stdout.includes(
        'The runbook for this night: `runbook postgres-remount --namespace default --deployment postgres` (`runbook show postgres-remount` explains it).',
      ),
      done.stdout,
    );
    assert.ok(!existsSync(join(TEAM_REPO, 'kubeconfig')), 'nothing written into the team repository');
  });

  it('the node outage strikes the node that runs most of the team’s pods', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'runbook-train-load-'));
    const env = cleanEnv({ RUNBOOK_STATE_DIR: stateDir });
    const { trainer, briefing } = await startTraining(
      '2021-01-10-primary-kubernetes-node-outage',
      ['--load', TEAM_REPO, '--kubeconfig', join(stateDir, 'kubeconfig')],
      { env },
    );
    const node = /The night strikes node (\S+)\.$/m.exec(briefing)?.[1];
    assert.ok(node !== undefined, briefing);
    assert.match(briefing, new RegExp(`^PAGER {2}CPU exhaustion on ${node};`, 'm'));
    trainer.kill('SIGINT');
    const done = await trainer;
    assert.equal(done.exitCode, 0, done.stderr);
    assert.match(done.stdout, /✖ You gave up\./);
    assert.ok(
      done.stdout.includes(`The runbook for this night: \`runbook node-recycle --node ${node}\``),
      done.stdout,
    );
    assert.doesNotMatch(done.stdout, /What ends it/, 'the one command is said once');
  });

  it('a night the repository cannot take is refused in one sentence (exit 15), nothing started or written', async () => {
    const repo = webOnlyRepo();
    const stateDir = mkdtempSync(join(tmpdir(), 'runbook-train-load-'));
    const env = cleanEnv({ RUNBOOK_STATE_DIR: stateDir });
    const refusals: Array<[string, RegExp]> = [
      [
        '2020-12-11-postgres-conn-surge',
        /needs a Postgres with a volume \(a Deployment or StatefulSet running a postgres image and mounting a PersistentVolumeClaim\), and the repository has none\.$/,
      ],
      ['2021-01-12-site-cpu-ram-exhaustion', /needs a Postgres with a volume/],
      [
        '2021-01-30-nodebalancer-fails-memory',
        /a Service of type LoadBalancer, and the repository has none\.$/,
      ],
      [
        '2021-07-11-cascading-node-failures',
        /no Deployment or StatefulSet of the repository mounts a PersistentVolumeClaim\.$/,
      ],
    ];
    for (const [scenario, why] of refusals) {
      const result = await runCli(['train', scenario, '--speed', 'instant', '--load', repo], { env });
      assert.equal(result.exitCode, 15, result.stderr);
      assert.equal(result.stdout, '', 'no briefing: no cluster was started');
      const lines = result.stderr.trim().split('\n');
      assert.equal(lines.length, 1, result.stderr);
      assert.ok(lines[0]?.startsWith(`✖ Cannot train on ${repo}: ${scenario} `), lines[0]);
      assert.match(lines[0] ?? '', why);
    }
    assert.ok(!existsSync(join(stateDir, 'training')), 'no training folder');
    assert.deepEqual(readdirSync(repo), ['web'], 'nothing written into the repository');
  });

  it('with no scenario named, it picks a night the repository can take', async () => {
    const repo = webOnlyRepo();
    const env = cleanEnv({ RUNBOOK_STATE_DIR: mkdtempSync(join(tmpdir(), 'runbook-train-load-')) });
    const trainer = execa(process.execPath, [BIN, 'train', '--load', repo, '--speed', 'instant'], {
      env,
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
      timeout: 30_000,
    });
    const stdout = trainer.stdout;
    assert.ok(stdout !== null);
    let text = '';
    await new Promise<void>((resolve) =>
      stdout.on('data', (chunk: Buffer) => {
        text += chunk.toString('utf8');
        if (text.includes('Training ends when')) resolve();
      }),
    );
    trainer.kill('SIGINT');
    const done = await trainer;
    assert.equal(done.exitCode, 0, done.stderr);
    const picked = /^Training: (\S+) /m.exec(done.stdout)?.[1];
    assert.ok(
      picked === '2020-12-11-all-services-outage' || picked === '2021-01-10-primary-kubernetes-node-outage',
      `picked ${String(picked)}: the repository has no Postgres, volume or LoadBalancer`,
    );
  });

  it('a --load that is not a folder is a bad parameter (exit 3)', async () => {
    const env = cleanEnv({ RUNBOOK_STATE_DIR: mkdtempSync(join(tmpdir(), 'runbook-train-load-')) });
    const result = await runCli(
      ['train', '2020-12-11-postgres-conn-surge', '--load', join(tmpdir(), 'no-such-repo-here')],
      { env },
    );
    assert.equal(result.exitCode, 3, result.stderr);
    assert.match(result.stderr, /--load .*no-such-repo-here: there is no such folder\./);
  });
});
