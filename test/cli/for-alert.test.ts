// Alerts lead to runbooks: the mapping is data covering the public rule collections' names, a team's
// routes come first, every route names a runbook and parameters that exist, and `--list` shows them.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { ALERT_ROUTES } from '../../runbooks/alerts.js';
import { findRunbook } from '../../runbooks/index.js';
import { fillTemplate } from '../../src/cli/alerts/template.js';
import { forAlertCommand } from '../../src/cli/commands/for-alert.js';
import { runCli } from '../helpers/cli.js';

describe('runbook for-alert <name>', () => {
  it('names the runbook and its command line, filled from the alert labels', async () => {
    const result = await runCli(['for-alert', 'PostgresqlDown', '--label', 'namespace=db']);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /^PostgresqlDown namespace=db → postgres-remount: /);
    assert.match(result.stdout, /^ {2}runbook postgres-remount --namespace db --dry-run {3}# rehearse$/m);
    assert.match(result.stdout, /^ {2}runbook postgres-remount --namespace db {13}# recover$/m);
  });

  it('a label the route needs and was not given: named, never a <placeholder>, exit 15', async () => {
    const result = await runCli(['for-alert', 'KubeNodeNotReady', '--label', 'instance=10.0.0.1:9100']);
    assert.equal(result.exitCode, 15);
    assert.match(
      result.stdout,
      /no label exported_node or node to fill --node; the alert carries instance, alertname\./,
    );
    assert.doesNotMatch(result.stdout, /</);
  });

  it("a team's own routes come first", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'runbook-alerts-')), 'alerts.json');
    writeFileSync(
      file,
      JSON.stringify([{ alert: 'PydisDatabaseGone', runbook: 'postgres-remount', why: 'our own alert' }]),
    );
    const result = await runCli(['for-alert', 'PydisDatabaseGone', '--alerts', file]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, /^PydisDatabaseGone → postgres-remount: our own alert$/m);
  });

  it('an unknown alert: said plainly, exit 15', async () => {
    const result = await runCli(['for-alert', 'SomethingOdd']);
    assert.equal(result.exitCode, 15);
    assert.match(result.stdout, /^No runbook answers SomethingOdd\.$/m);
    assert.match(result.stdout, /runbook for-alert --list/);
  });

  it('runbook show lists the alerts that lead to a runbook', async () => {
    const result = await runCli(['show', 'node-recycle']);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(
      result.stdout,
      /^Alerts that lead here: KubeNodeNotReady, KubeNodeUnreachable, KubernetesNodeNotReady$/m,
    );
  });
});

describe('the built-in routes', () => {
  it('name runbooks this version has, parameters those runbooks take, and every required one', () => {
    const wrong: string[] = [];
    for (const route of ALERT_ROUTES) {
      const runbook = findRunbook(route.runbook);
      if (runbook === undefined) {
        wrong.push(`${route.alert} → ${route.runbook}: no such runbook`);
        continue;
      }
      for (const [param, template] of Object.entries(route.params ?? {})) {
        if (runbook.params[param] === undefined)
          wrong.push(`${route.alert}: ${route.runbook} takes no ${param}`);
        // Every label a template can read, present: the template must then fill.
        const names = [...template.matchAll(/[A-Za-z_]\w*/g)].map((m) => m[0]);
        const filled = fillTemplate(template, Object.fromEntries(names.map((n) => [n, 'x'])));
        if (!filled.ok) wrong.push(`${route.alert}: ${param} "${template}" does not fill`);
      }
      for (const [param, spec] of Object.entries(runbook.params)) {
        if (spec.required === true && route.params?.[param] === undefined)
          wrong.push(`${route.alert}: ${route.runbook} needs ${param}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('each alert name is routed once', () => {
    const names = ALERT_ROUTES.map((r) => r.alert);
    assert.deepEqual(
      names.filter((n, i) => names.indexOf(n) !== i),
      [],
    );
  });
});

describe('runbook for-alert --list', () => {
  // Names from each public collection: kubernetes-mixin, awesome-prometheus-alerts (kubernetes,
  // node-exporter, postgresql, redis), postgres_exporter's mixin, redis_exporter's mixin.
  const COLLECTIONS = [
    'KubeNodeNotReady',
    'KubeNodeUnreachable',
    'KubePodCrashLooping',
    'KubeDeploymentReplicasMismatch',
    'KubeCPUOvercommit',
    'KubeMemoryOvercommit',
    'CPUThrottlingHigh',
    'KubernetesNodeNotReady',
    'KubernetesPodCrashLooping',
    'HostOutOfMemory',
    'PostgresqlDown',
    'PostgresqlTooManyConnections',
    'RedisDown',
    'PostgreSQLMaxConnectionsReached',
    'PostgreSQLHighConnections',
    'PostgreSQLDown',
    'RedisOutOfMemory',
  ];

  it('one line per route: alert, runbook, parameter templates, source', async () => {
    const result = await runCli(['for-alert', '--list']);
    assert.equal(result.exitCode, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.equal(lines.length, ALERT_ROUTES.length);
    for (const name of COLLECTIONS) {
      assert.ok(
        lines.some((l) => l.startsWith(`${name} `) && l.endsWith('built-in')),
        `${name} is listed`,
      );
    }
    assert.match(
      result.stdout,
      /^KubeNodeNotReady +node-recycle +--node \{\{exported_node\|node\}\} +built-in$/m,
    );
    assert.match(result.stdout, /^PostgreSQLHighConnections +postgres-connections +- +built-in$/m);
  });

  it("--output json, with a team's file first and named as the source", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'runbook-alerts-')), 'alerts.json');
    writeFileSync(
      file,
      JSON.stringify([
        { alert: 'KubeNodeNotReady', runbook: 'node-drain', params: { node: '{{host}}' }, why: 'ours' },
      ]),
    );
    const result = await runCli(['for-alert', '--list', '--output', 'json', '--alerts', file]);
    assert.equal(result.exitCode, 0, result.stderr);
    const routes = JSON.parse(result.stdout) as { alert: string; runbook: string; source: string }[];
    assert.deepEqual(routes[0], {
      alert: 'KubeNodeNotReady',
      runbook: 'node-drain',
      params: { node: '{{host}}' },
      why: 'ours',
      source: file,
    });
    assert.equal(routes.filter((r) => r.alert === 'KubeNodeNotReady').length, 1);
    assert.equal(routes.length, ALERT_ROUTES.length);
  });

  it("the team configuration's routes (the seam the config file fills) come ahead of the built-in ones", async () => {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const io = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {}, cwd: process.cwd() };
    const team = () => ({
      routes: [
        { alert: 'KubeNodeNotReady', runbook: 'node-drain', params: { node: '{{host}}' }, why: 'ours' },
      ],
      source: '/ops/runbook.config.yaml',
    });
    const code = await forAlertCommand(
      'KubeNodeNotReady',
      { label: ['host=lke1-a'], output: 'text' },
      io,
      team,
    );
    assert.equal(code, 0);
    assert.match(out, /^KubeNodeNotReady host=lke1-a → node-drain: ours$/m);
    assert.match(out, /^ {2}runbook node-drain --node lke1-a {13}# recover$/m);
  });
});
