// Every run leaves a journal: history lists it, log tells it (as text, JSON or a postmortem), and
// no secret is in anything the tool wrote.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

describe('the journal of a run', () => {
  let h: SimHarness;
  const stateDir = mkdtempSync(join(tmpdir(), 'runbook-journal-'));
  const planted = { DATABASE_URL: 'postgres://site:planted-db-password-42@127.0.0.1:5432/pysite' };
  let runOutput = '';
  let runId = '';

  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
    const result = await runCli(['postgres-remount', '--yes'], {
      env: h.env({ RUNBOOK_STATE_DIR: stateDir, ...planted }),
    });
    assert.equal(result.exitCode, 0, result.stderr);
    runOutput = result.stdout + result.stderr;
    runId = /run {6}(\S+)/.exec(result.stdout)?.[1] ?? '';
  });
  after(() => h.stop());

  it('history lists the run with its outcome and the number of changes', async () => {
    const result = await runCli(['history', '--output', 'json'], {
      env: h.env({ RUNBOOK_STATE_DIR: stateDir }),
    });
    assert.equal(result.exitCode, 0, result.stderr);
    const entries = JSON.parse(result.stdout) as Array<{
      runId: string;
      status: string;
      actionsDone: number;
      cluster: string;
    }>;
    assert.equal(entries.length, 1);
    assert.equal(entries[0]?.runId, runId);
    assert.equal(entries[0]?.status, 'finished');
    assert.equal(entries[0]?.actionsDone, 4, 'scale down, force delete, detach, scale up');
    assert.equal(entries[0]?.cluster, 'lke13311-ctx');
  });

  it('log tells the run as a timeline with the commands a person would have typed', async () => {
    const result = await runCli(['log', runId], { env: h.env({ RUNBOOK_STATE_DIR: stateDir }) });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /^\d\d:\d\d:\d\d {2}\S+ started postgres-remount on lke13311-ctx/m);
    assert.match(
      result.stdout,
      /force-delete pod default\/postgres-\S+ \(kubectl -n default delete pod\/postgres-\S+ --force --grace-period=0\)/,
    );
    assert.match(result.stdout, /run finished$/m);
  });

  it('log --format rst writes the Recovery section of a postmortem in the team template', async () => {
    const result = await runCli(['log', runId, '--format', 'rst'], {
      env: h.env({ RUNBOOK_STATE_DIR: stateDir }),
    });
    assert.equal(result.exitCode, 0, result.stderr);
    for (const heading of [
      '⚠️ Leadup',
      '🥏 Impact',
      '👁️ Detection',
      '🙆🏽‍♀️ Recovery',
      '🔎 Five Why’s',
      '☑️ Follow-up tasks',
    ]) {
      assert.match(result.stdout, new RegExp(`^${heading}\\n-{${heading.length + 4}}$`, 'm'));
    }
    assert.match(result.stdout, /^- \*\*\d\d:\d\d:\d\d UTC:\*\* detach Linode volume pvc[0-9a-f]{16}/m);
    assert.match(result.stdout, /4 changes were made/);
  });

  it('no secret reaches the screen or the journal: the Linode token, the kube token, a database password', async () => {
    const kubeToken = /token: (\S+)/.exec(readFileSync(h.kubeconfig, 'utf8'))?.[1];
    assert.ok(kubeToken !== undefined);
    const json = await runCli(['log', runId, '--format', 'json'], {
      env: h.env({ RUNBOOK_STATE_DIR: stateDir }),
    });
    const journals = readdirSync(join(stateDir, 'runs')).map((f) =>
      readFileSync(join(stateDir, 'runs', f), 'utf8'),
    );
    const everything = [runOutput, json.stdout, json.stderr, ...journals].join('\n');
    for (const secret of [h.sim.linodeToken, kubeToken, 'planted-db-password-42']) {
      assert.ok(!everything.includes(secret), `a secret leaked: ${secret.slice(0, 4)}…`);
    }
  });

  it('log of an unknown run says where to look', async () => {
    const result = await runCli(['log', '20200101-000000-nothing-abcd'], {
      env: h.env({ RUNBOOK_STATE_DIR: stateDir }),
    });
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /There is no run 20200101-000000-nothing-abcd/);
  });
});

describe('history with damaged journals', () => {
  it('lists each damaged journal as damaged, with its file, and never says there are no runs', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'runbook-damaged-'));
    const runs = join(stateDir, 'runs');
    mkdirSync(runs);
    const empty = join(runs, '20261201-010203-postgres-remount-aaaa.jsonl');
    const binary = join(runs, '20261201-010204-node-drain-bbbb.jsonl');
    const headless = join(runs, '20261201-010205-volume-reattach-cccc.jsonl');
    writeFileSync(empty, '');
    writeFileSync(binary, Buffer.from([0, 0x47, 0x49, 0xff, 0xfe, 0x0a, 0x01, 0x02]));
    writeFileSync(
      headless,
      `${JSON.stringify({ time: '2026-12-01T01:02:05Z', type: 'end', status: 'finished' })}\n`,
    );

    const text = await runCli(['history'], { env: cleanEnv({ RUNBOOK_STATE_DIR: stateDir }) });
    assert.equal(text.exitCode, 0, text.stderr);
    assert.doesNotMatch(text.stdout, /No runs yet/);
    assert.match(text.stdout, new RegExp(`aaaa +damaged +${empty}: empty, or no line of it is JSON`));
    assert.match(text.stdout, new RegExp(`bbbb +damaged +${binary}: empty, or no line of it is JSON`));
    assert.match(text.stdout, new RegExp(`cccc +damaged +${headless}: its start record is missing`));

    const json = await runCli(['history', '--output', 'json'], {
      env: cleanEnv({ RUNBOOK_STATE_DIR: stateDir }),
    });
    const entries = JSON.parse(json.stdout) as Array<{
      runbook: string;
      status: string;
      damaged?: { journal: string };
    }>;
    assert.deepEqual(
      entries.map((e) => [e.runbook, e.status, e.damaged?.journal]),
      [
        ['volume-reattach', 'damaged', headless],
        ['node-drain', 'damaged', binary],
        ['postgres-remount', 'damaged', empty],
      ],
    );
  });
});
