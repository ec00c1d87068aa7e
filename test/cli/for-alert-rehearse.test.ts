// The command for-alert prints is one a person can paste: for alerts of three postmortem nights, the
// printed rehearsal, split by a real shell, runs as it stands against that night's simulated cluster.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { BIN, ROOT, cleanEnv } from '../helpers/cli.js';

const firing = (labels: Record<string, string>) => ({
  status: 'firing',
  labels: { prometheus: 'monitoring/k8s', severity: 'critical', ...labels },
  annotations: {},
  startsAt: '2021-01-10T20:20:00Z',
  endsAt: '0001-01-01T00:00:00Z',
  generatorURL: 'http://prometheus:9090/graph',
  fingerprint: labels.alertname ?? '',
});

const PAYLOAD = {
  version: '4',
  groupKey: '{}:{severity="critical"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'runbook',
  groupLabels: { severity: 'critical' },
  commonLabels: { severity: 'critical' },
  commonAnnotations: {},
  externalURL: 'http://alertmanager:9093',
  alerts: [
    firing({ alertname: 'KubeNodeNotReady', node: 'lke13311-20304-5ffa4d0d8a1c', job: 'kube-state-metrics' }),
    firing({ alertname: 'KubeDeploymentReplicasMismatch', namespace: 'default', deployment: 'postgres' }),
    firing({ alertname: 'PostgreSQLDown', namespace: 'default', instance: '10.2.1.9:9187', job: 'postgres' }),
  ],
};

/** The night each runbook's alert comes from. */
const NIGHT: Record<string, string> = {
  'node-recycle': '2021-01-10-primary-kubernetes-node-outage',
  'volume-reattach': '2021-07-11-cascading-node-failures',
  'postgres-remount': '2020-12-11-postgres-conn-surge',
};

describe('for-alert → rehearse', () => {
  it('every printed rehearsal runs, as printed, against its night on the simulator', async () => {
    const env = cleanEnv();
    const answer = await execa(process.execPath, [BIN, 'for-alert'], {
      env,
      extendEnv: false,
      reject: false,
      input: JSON.stringify(PAYLOAD),
      cwd: ROOT,
    });
    assert.equal(answer.exitCode, 0, answer.stdout + answer.stderr);
    const rehearsals = answer.stdout
      .split('\n')
      .filter((l) => l.endsWith('# rehearse'))
      .map((l) => l.replace(/\s+# rehearse$/, '').trim());
    assert.equal(rehearsals.length, 3, answer.stdout);
    for (const line of rehearsals) {
      const split = await execa('/bin/sh', ['-c', `printf '%s\\n' ${line}`]);
      const [program, runbook = '', ...args] = split.stdout.split('\n');
      assert.equal(program, 'runbook');
      assert.ok(args.includes('--dry-run'), line);
      const night = NIGHT[runbook];
      assert.ok(night !== undefined, `${runbook}: which night?`);
      const run = await execa(
        process.execPath,
        [BIN, runbook, ...args, '--sim', night, '--speed', 'instant'],
        {
          env,
          extendEnv: false,
          reject: false,
          stdin: 'ignore',
          cwd: ROOT,
          timeout: 120_000,
        },
      );
      assert.equal(run.exitCode, 0, `${line}\n${run.stdout}\n${run.stderr}`);
      assert.match(run.stdout, /Dry run: .*nothing was changed/, line);
    }
  });
});
