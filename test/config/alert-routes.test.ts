// The team's alert routes, as `for-alert` will take them: AlertRoute values in the file's order, with
// the file's parameter names turned into the runbook's, and a `why` that says where they came from.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfigFile, teamAlertRoutes } from '../../src/config/index.js';

function configFile(text: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-alerts-'));
  const path = join(dir, 'runbook.config.yaml');
  writeFileSync(path, text);
  return { dir, path };
}

describe('teamAlertRoutes', () => {
  it('gives the routes of the file, in order, ready for for-alert', async () => {
    const { dir, path } = configFile(
      [
        'alerts:',
        '  - alert: NodeDown',
        '    runbook: node-recycle',
        "    params: { node: '{{exported_node}}' }",
        '    why: our node alert',
        '  - alert: PgIdleStorm',
        '    runbook: postgres-connections',
        '    params:',
        '      application: site',
        '      older-than: 15',
        '',
      ].join('\n'),
    );
    const routes = teamAlertRoutes(await loadConfigFile(path, dir));
    assert.deepEqual(routes, [
      {
        alert: 'NodeDown',
        runbook: 'node-recycle',
        params: { node: '{{exported_node}}' },
        why: 'our node alert',
      },
      {
        alert: 'PgIdleStorm',
        runbook: 'postgres-connections',
        params: { application: 'site', olderThan: '15' },
        why: 'from runbook.config.yaml line 6',
      },
    ]);
  });

  it('is empty without a file or without an alerts section', async () => {
    assert.deepEqual(teamAlertRoutes(undefined), []);
    const { dir, path } = configFile('lock:\n  namespace: ops\n');
    assert.deepEqual(teamAlertRoutes(await loadConfigFile(path, dir)), []);
  });

  it('refuses a fixed value the parameter would refuse, and a placeholder that is not a label', async () => {
    const fixed = configFile(
      'alerts:\n  - alert: X\n    runbook: node-recycle\n    params: { method: replace }\n',
    );
    await assert.rejects(loadConfigFile(fixed.path, fixed.dir), {
      message:
        'runbook.config.yaml line 4: alerts[0].params.method must be one of recycle, reboot; "replace" is not.',
    });
    const label = configFile(
      "alerts:\n  - alert: X\n    runbook: node-recycle\n    params: { node: '{{ node name }}' }\n",
    );
    await assert.rejects(loadConfigFile(label.path, label.dir), {
      message:
        'runbook.config.yaml line 4: alerts[0].params.node has {{node name}}, which is not a label name (letters, digits and _).',
    });
    const unknown = configFile('alerts:\n  - alert: X\n    runbook: node-recyle\n');
    await assert.rejects(loadConfigFile(unknown.path, unknown.dir), {
      message:
        'runbook.config.yaml line 3: alerts[0].runbook node-recyle is not a runbook (did you mean node-recycle?)',
    });
  });
});
