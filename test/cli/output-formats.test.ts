// `-o json` (and yaml) on every command that prints data: the output parses, and it is the data the
// text shows. A run's own result is the one JSON document on stdout; its progress goes to stderr.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { RUNBOOKS } from '../../runbooks/index.js';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { type CliResult, runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

function parsed(result: CliResult, args: readonly string[], format: 'json' | 'yaml' = 'json'): unknown {
  assert.equal(result.exitCode, 0, `runbook ${args.join(' ')}: ${result.stderr}`);
  try {
    return format === 'json' ? JSON.parse(result.stdout) : parseYaml(result.stdout);
  } catch (error) {
    assert.fail(`runbook ${args.join(' ')} printed no ${format}: ${String(error)}\n${result.stdout}`);
  }
}

describe('-o json and -o yaml', () => {
  let h: SimHarness;
  const stateDir = mkdtempSync(join(tmpdir(), 'runbook-output-'));
  let env: Record<string, string>;
  let runId = '';
  let run: CliResult;

  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
    env = h.env({ RUNBOOK_STATE_DIR: stateDir });
    run = await runCli(['postgres-remount', '--yes', '-o', 'json'], { env });
    runId = (JSON.parse(run.stdout) as { runId?: string }).runId ?? '';
  });
  after(() => h.stop());

  it("a run's result is the only thing on stdout, its progress on stderr", () => {
    assert.equal(run.exitCode, 0, run.stderr);
    const result = JSON.parse(run.stdout) as {
      runId: string;
      runbook: string;
      status: string;
      exitCode: number;
      dryRun: boolean;
      steps: Array<{ stepId: string; status: string }>;
      changes: Array<{ title: string; equivalent: string }>;
    };
    assert.match(result.runId, /^\d{8}-\d{6}-postgres-remount-[0-9a-f]{4}$/);
    assert.equal(result.runbook, 'postgres-remount');
    assert.equal(result.status, 'finished');
    assert.equal(result.exitCode, 0);
    assert.equal(result.dryRun, false);
    const runbook = RUNBOOKS.find((r) => r.id === 'postgres-remount');
    assert.deepEqual(
      result.steps.map((s) => s.stepId),
      runbook?.steps.map((s) => s.id),
    );
    assert.equal(result.changes.length, 4, 'scale down, force delete, detach, scale up');
    // What a person watches: the header and the steps, on stderr.
    assert.match(run.stderr, /cluster {2}lke13311-ctx/);
    assert.match(run.stderr, /Locate Postgres/);
    assert.match(run.stderr, /finished in/);
  });

  it('a run that stops prints its result too, with the exit code it ends with', async () => {
    const args = ['node-drain', '--node', 'no-such-node', '--yes', '-o', 'json'];
    const stopped = await runCli(args, { env });
    assert.notEqual(stopped.exitCode, 0);
    const result = JSON.parse(stopped.stdout) as { status: string; exitCode: number; message: string };
    assert.equal(result.exitCode, stopped.exitCode);
    assert.equal(EXIT_CODES[result.status as keyof typeof EXIT_CODES], stopped.exitCode);
    assert.match(
      stopped.stderr,
      new RegExp(result.message.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
    );
  });

  it('every command that prints data parses as JSON', async () => {
    const commands: Array<[string[], (data: unknown) => void]> = [
      [['list'], (d) => assert.ok((d as Array<{ id: string }>).some((r) => r.id === 'postgres-remount'))],
      [['show', 'node-drain'], (d) => assert.equal((d as { id: string }).id, 'node-drain')],
      [['history'], (d) => assert.ok((d as Array<{ runId: string }>).some((e) => e.runId === runId))],
      [['log', runId], (d) => assert.equal((d as Array<{ type: string }>)[0]?.type, 'start')],
      [
        ['for-alert', 'KubeNodeNotReady', '--label', 'node=lke-1'],
        (d) =>
          assert.equal((d as { commands: Array<{ runbook: string }> }).commands[0]?.runbook, 'node-recycle'),
      ],
      [['for-alert', '--list'], (d) => assert.ok(Array.isArray(d) && d.length > 0)],
      [['config'], (d) => assert.ok(typeof (d as { settings: unknown }).settings === 'object')],
      [['sim', 'list'], (d) => assert.ok((d as Array<{ name: string }>).some((s) => s.name === 'healthy'))],
      [['train', '--history'], (d) => assert.ok(Array.isArray(d))],
      [['version'], (d) => assert.equal((d as { node: string }).node, process.version)],
    ];
    for (const [args, check] of commands) {
      const full = [...args, '-o', 'json'];
      check(parsed(await runCli(full, { env }), full));
    }
    // The long spelling, as kubectl also takes it.
    const long = ['list', '--output=json'];
    assert.ok(Array.isArray(parsed(await runCli(long, { env }), long)));
  });

  it('log keeps --format as the older name of --output', async () => {
    const args = ['log', runId, '--format', 'json'];
    assert.deepEqual(
      parsed(await runCli(args, { env }), args),
      parsed(await runCli(['log', runId, '-o', 'json'], { env }), args),
    );
  });

  it('yaml is the same data as json', async () => {
    for (const args of [
      ['list'],
      ['show', 'postgres-remount'],
      ['history'],
      ['log', runId],
      ['sim', 'list'],
    ]) {
      const json = parsed(await runCli([...args, '-o', 'json'], { env }), args);
      const yaml = parsed(await runCli([...args, '-o', 'yaml'], { env }), args, 'yaml');
      assert.deepEqual(yaml, json, `runbook ${args.join(' ')} -o yaml`);
    }
  });

  it('an unknown format is refused in one sentence naming the ones there are', async () => {
    const result = await runCli(['list', '-o', 'xml'], { env });
    assert.equal(result.exitCode, EXIT_CODES['invalid-parameter']);
    assert.match(result.stderr, /--output must be text, json or yaml; "xml" is not\./);
  });

  it('-o html of log and train --history waits for the pages, as a usage error', async () => {
    for (const args of [
      ['log', runId, '-o', 'html'],
      ['train', '--history', '-o', 'html'],
    ]) {
      const result = await runCli(args, { env });
      if (result.exitCode === 0) {
        assert.match(result.stdout, /<html/i, 'a page, once the pictures are in');
        continue;
      }
      assert.equal(result.exitCode, EXIT_CODES.usage, result.stderr);
      assert.match(result.stderr, /html output is not available yet/);
    }
  });
});
