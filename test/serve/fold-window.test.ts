// `runbook serve --fold-window <duration>`: how long repeats of a firing alert fold into its dry run
// (windows.test.ts shows the folding itself). A bad value is one sentence and the usage exit code,
// before anything listens.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { parseFoldWindow } from '../../src/cli/commands/serve.js';
import { main } from '../../src/cli/main.js';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { cleanEnv } from '../helpers/cli.js';

describe('runbook serve --fold-window', () => {
  it('reads durations as Alertmanager writes them; 5m when not given', () => {
    assert.equal(parseFoldWindow(undefined), 5 * 60_000);
    assert.equal(parseFoldWindow('30s'), 30_000);
    assert.equal(parseFoldWindow('5m'), 300_000);
    assert.equal(parseFoldWindow('1h30m'), 5_400_000);
    assert.equal(parseFoldWindow('1500ms'), 1500);
    assert.equal(parseFoldWindow('24h'), 86_400_000);
  });

  for (const bad of ['5', '5x', '0s', '999ms', '25h', '-1m', '5 m', '1.5h', '', 'm5', '5m\u001b[2J'])
    it(`--fold-window ${JSON.stringify(bad)}: one sentence, exit ${EXIT_CODES.usage}, nothing started`, async () => {
      const out = new PassThrough();
      const err = new PassThrough();
      let stdout = '';
      let stderr = '';
      out.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      err.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      const code = await main(['serve', '--listen', '127.0.0.1:0', '--fold-window', bad], {
        stdout: out,
        stderr: err,
        stdin: new PassThrough(),
        env: cleanEnv({ RUNBOOK_SERVE_TOKEN: 'serve-token-planted-0e4f' }),
        cwd: process.cwd(),
      });
      assert.equal(code, EXIT_CODES.usage, stderr);
      assert.equal(stdout, '');
      const lines = stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, stderr);
      assert.match(
        lines[0] ?? '',
        /^✖ --fold-window ".*" is not a duration from 1s to 24h, such as 30s, 5m or 1h30m\.$/,
      );
      assert.ok(!stderr.includes('\u001b'), 'no raw escape');
    });
});
