// The README's complete example of runbook.config.yaml is a file that loads: a documented key that the
// loader refused (or a value a parameter refused) would fail here rather than at a team's first try.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfigFile, teamAlertRoutes } from '../../src/config/index.js';
import { ROOT } from '../helpers/cli.js';

describe("README's runbook.config.yaml", () => {
  it('loads, with the values it shows', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const example = /```yaml\n(# runbook\.config\.yaml\n[\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(example !== undefined, 'the README has the example');
    const dir = mkdtempSync(join(tmpdir(), 'runbook-readme-'));
    mkdirSync(join(dir, 'ops'));
    writeFileSync(join(dir, 'ops', 'waves.yaml'), 'network: []\n');
    mkdirSync(join(dir, 'backups'));
    writeFileSync(join(dir, 'runbook.config.yaml'), example);
    const config = await loadConfigFile(join(dir, 'runbook.config.yaml'), dir);
    assert.equal(config.runbooks.get('postgres-remount')?.get('namespace')?.value, 'db');
    assert.equal(
      config.runbooks.get('postgres-remount')?.get('backupDirectory')?.value,
      join(dir, 'backups'),
    );
    assert.equal(config.lock.namespace?.value, 'ops');
    assert.equal(config.chat.discord?.value, 'DISCORD_OPS_WEBHOOK');
    assert.deepEqual(teamAlertRoutes(config), [
      {
        alert: 'NodeDown',
        runbook: 'node-recycle',
        params: { node: '{{exported_node}}' },
        why: 'our node alert',
      },
    ]);
  });
});
