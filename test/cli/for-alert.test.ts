// Alerts lead to runbooks: the mapping is data, a team's file extends it, and every route names a
// runbook that exists.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ALERT_ROUTES } from '../../runbooks/alerts.js';
import { findRunbook } from '../../runbooks/index.js';
import { runCli } from '../helpers/cli.js';

describe('runbook for-alert', () => {
  it('names the runbook and its command line, filled from the alert labels', async () => {
    const result = await runCli(['for-alert', 'PostgresqlDown', '--label', 'namespace=db']);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /^PostgresqlDown → postgres-remount: /);
    assert.match(result.stdout, /runbook postgres-remount --namespace db --dry-run/);
  });

  it('every built-in route names a runbook this version has', () => {
    const missing = ALERT_ROUTES.filter((r) => findRunbook(r.runbook) === undefined).map(
      (r) => `${r.alert} → ${r.runbook}`,
    );
    assert.deepEqual(missing, []);
  });

  it("a team's own routes come first", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'runbook-alerts-')), 'alerts.json');
    writeFileSync(
      file,
      JSON.stringify([{ alert: 'PydisDatabaseGone', runbook: 'postgres-remount', why: 'our own alert' }]),
    );
    const result = await runCli(['for-alert', 'PydisDatabaseGone', '--alerts', file]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /PydisDatabaseGone → postgres-remount: our own alert/);
  });

  it('an unknown alert: exit 2 and the known ones', async () => {
    const result = await runCli(['for-alert', 'SomethingOdd']);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /No runbook answers the alert "SomethingOdd"/);
    assert.match(result.stderr, /PostgresqlDown/);
  });

  it('runbook show lists the alerts that lead to a runbook', async () => {
    const result = await runCli(['show', 'node-recycle']);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /^Alerts that lead here: KubernetesNodeNotReady, KubeNodeNotReady$/m);
  });
});
