// A team's alert routes may name the team's own runbooks (from its runbooks folder): for-alert answers
// them with their command line; a route naming no runbook at all is refused in one sentence.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { runCli } from '../helpers/cli.js';

const team = mkdtempSync(join(tmpdir(), 'runbook-alert-team-'));
const folder = join(team, 'runbooks');

/** A folder holding runbook.config.yaml with the team's folder and these routes. */
function project(routes: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-alert-project-'));
  writeFileSync(
    join(dir, 'runbook.config.yaml'),
    [`runbooksFolder: ${folder}`, 'alerts:', ...routes, ''].join('\n'),
  );
  return dir;
}

describe("runbook for-alert with routes to the team's runbooks", () => {
  before(async () => {
    const made = await runCli(['new', 'restart-web', '--dir', 'runbooks'], { cwd: team });
    assert.equal(made.exitCode, 0, made.stderr);
  });

  it("answers an alert routed to the team's runbook with its command line, filled from the labels", async () => {
    const cwd = project([
      '  - alert: SiteDown',
      '    runbook: restart-web',
      "    params: { namespace: '{{namespace}}', deployment: '{{deployment}}' }",
      '    why: the site stopped answering',
    ]);
    const result = await runCli(
      ['for-alert', 'SiteDown', '--label', 'namespace=shop', '--label', 'deployment=web'],
      { cwd },
    );
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /^SiteDown .*→ restart-web: the site stopped answering$/m);
    assert.match(
      result.stdout,
      /^ {2}runbook restart-web --namespace shop --deployment web --dry-run +# rehearse$/m,
    );
    assert.match(result.stdout, /^ {2}runbook restart-web --namespace shop --deployment web +# recover$/m);
  });

  it('refuses a route naming no runbook in one sentence, with the nearest of the team’s ids', async () => {
    const cwd = project(['  - alert: SiteDown', '    runbook: restart-wbe']);
    const result = await runCli(['for-alert', 'SiteDown'], { cwd });
    assert.equal(result.exitCode, EXIT_CODES['invalid-parameter'], result.stderr);
    assert.equal(
      result.stderr,
      '✖ runbook.config.yaml line 4: alerts[0].runbook restart-wbe is not a runbook (did you mean restart-web?)',
    );
    assert.equal(result.stdout, '');
  });
});
