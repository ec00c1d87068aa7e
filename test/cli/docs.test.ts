// `runbook docs`: one Markdown page per registered runbook, from what `runbook show` explains; the
// committed docs/runbooks must be what the command writes today, or this test fails.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RUNBOOKS } from '../../runbooks/index.js';
import { SCENARIOS } from '../../src/sim/scenarios/index.js';
import { ROOT, runCli } from '../helpers/cli.js';

const COMMITTED = join(ROOT, 'docs', 'runbooks');

describe('runbook docs', () => {
  const output = mkdtempSync(join(tmpdir(), 'runbook-docs-'));
  let written: string[] = [];

  it('writes one page per registered runbook and says where', async () => {
    const result = await runCli(['docs', '--output', output]);
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    written = readdirSync(output).sort();
    assert.deepEqual(written, RUNBOOKS.map((r) => `${r.id}.md`).sort());
    for (const name of written) assert.match(result.stdout, new RegExp(`wrote .*${name}`));
  });

  it('says what `runbook show` says: title, parameters and every step', async () => {
    for (const runbook of RUNBOOKS) {
      const page = readFileSync(join(output, `${runbook.id}.md`), 'utf8');
      const shown = await runCli(['show', runbook.id]);
      assert.equal(shown.exitCode, 0);
      assert.match(page, new RegExp(`^# ${runbook.id}$`, 'm'));
      // The short flag the command line takes is on the page, as `show` prints it.
      if (runbook.params.namespace !== undefined) {
        assert.ok(page.includes('| `-n, --namespace <'), `${runbook.id}: -n, --namespace`);
        assert.match(shown.stdout, /^ {2}-n, --namespace </m);
      }
      for (const step of runbook.steps) {
        assert.ok(page.includes(`**${step.title}** (\`${step.id}\`)`), `${runbook.id}: ${step.id}`);
        assert.ok(page.includes(step.explain), `${runbook.id}: ${step.id} explained`);
        assert.ok(shown.stdout.includes(step.explain), `show ${runbook.id}: ${step.id} explained`);
      }
    }
  });

  it('matches the committed docs/runbooks (run `runbook docs` and commit when this fails)', () => {
    const committed = readdirSync(COMMITTED)
      .filter((n) => n.endsWith('.md'))
      .sort();
    assert.deepEqual(
      committed,
      written,
      'docs/runbooks has a page too many or too few: run `npx runbook docs`',
    );
    for (const name of written) {
      assert.equal(
        readFileSync(join(COMMITTED, name), 'utf8'),
        readFileSync(join(output, name), 'utf8'),
        `docs/runbooks/${name} is stale: run \`npx runbook docs\` and commit it`,
      );
    }
  });

  it("run in a team's repository, keeps the team's own pages and removes only a stale one it wrote", async () => {
    const repo = mkdtempSync(join(tmpdir(), 'runbook-docs-team-'));
    const pages = join(repo, 'docs', 'runbooks');
    mkdirSync(pages, { recursive: true });
    writeFileSync(join(pages, 'redis-failover.md'), '# Our Redis failover, by hand\n');
    const stale = readFileSync(join(output, `${RUNBOOKS[0]?.id ?? ''}.md`), 'utf8');
    writeFileSync(join(pages, 'retired-runbook.md'), stale);
    const result = await runCli(['docs'], { cwd: repo });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(readFileSync(join(pages, 'redis-failover.md'), 'utf8'), '# Our Redis failover, by hand\n');
    assert.equal(existsSync(join(pages, 'retired-runbook.md')), false);
    assert.deepEqual(
      readdirSync(pages).sort(),
      [...RUNBOOKS.map((r) => `${r.id}.md`), 'redis-failover.md'].sort(),
    );
  });

  it('links only postmortems the project carries in docs/postmortems', () => {
    const named = [...RUNBOOKS.flatMap((r) => r.postmortems), ...SCENARIOS.flatMap((s) => s.postmortems)];
    assert.ok(named.length > 0);
    for (const name of new Set(named)) {
      assert.ok(existsSync(join(ROOT, 'docs', 'postmortems', `${name}.rst`)), `docs/postmortems/${name}.rst`);
    }
    for (const name of written) {
      const page = readFileSync(join(output, name), 'utf8');
      for (const [, target] of page.matchAll(/\]\((\.\.\/postmortems\/[^)]+)\)/g)) {
        assert.ok(existsSync(join(COMMITTED, target ?? '')), `${name} links ${target}`);
      }
    }
  });
});
