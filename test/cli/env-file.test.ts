// .env: what the tool reads when the shell does not say otherwise; the shell always wins.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

describe('the .env file', () => {
  let h: SimHarness;
  let envFile = '';
  before(async () => {
    h = await startSimHarness('healthy');
    envFile = join(mkdtempSync(join(tmpdir(), 'runbook-env-')), '.env');
    writeFileSync(
      envFile,
      `# the simulator\nLINODE_API_URL=${h.sim.linodeApiUrl}\nLINODE_TOKEN="${h.sim.linodeToken}"\n`,
    );
  });
  after(() => h.stop());

  it('supplies the Linode variables the shell does not set', async () => {
    const result = await runCli(['postgres-remount', '--dry-run', '--kubeconfig', h.kubeconfig], {
      env: cleanEnv({ RUNBOOK_ENV_FILE: envFile }),
    });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`linode {3}${h.sim.linodeApiUrl.replace(/[.]/g, '\\.')} as `));
  });

  it('loses to a variable set in the shell', async () => {
    const result = await runCli(['postgres-remount', '--dry-run', '--kubeconfig', h.kubeconfig], {
      env: cleanEnv({ RUNBOOK_ENV_FILE: envFile, LINODE_TOKEN: 'set-in-the-shell' }),
    });
    assert.equal(result.exitCode, EXIT_CODES['access-refused']);
  });
});
