// A bad runbook.config.yaml is refused whole: one sentence naming the file, the line and the key, exit
// 3, before anything connects (the simulator sees no request), and no run is journaled.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';
import { runIn, teamRepository } from './run-in.js';

const BAD_FILES: ReadonlyArray<{ what: string; text: string | Buffer; says: RegExp }> = [
  {
    what: 'a misspelt parameter',
    text: 'runbooks:\n  postgres-remount:\n    namespace: db\n    deploymnet: pg\n',
    says: /^runbook\.config\.yaml line 4: runbooks\.postgres-remount\.deploymnet is not a parameter of postgres-remount \(did you mean deployment\?\)$/,
  },
  {
    what: 'an unknown section',
    text: '# team settings\nlocks:\n  namespace: ops\n',
    says: /^runbook\.config\.yaml line 2: locks is not a section of runbook\.config\.yaml \(did you mean lock\?\)$/,
  },
  {
    what: 'an unknown key inside a section',
    text: 'lock:\n  namespace: ops\n  holder: me\n',
    says: /^runbook\.config\.yaml line 3: lock\.holder is not a setting of the lock: it takes namespace\.$/,
  },
  {
    what: 'an unknown runbook',
    text: 'runbooks:\n  postgres-restart:\n    namespace: db\n',
    says: /^runbook\.config\.yaml line 2: runbooks\.postgres-restart is not a runbook \(did you mean postgres-remount\?\)$/,
  },
  {
    what: 'a value of the wrong type',
    text: 'runbooks:\n  node-drain:\n    timeout:\n      - 300\n',
    says: /^runbook\.config\.yaml line 4: runbooks\.node-drain\.timeout must be text or a number, not a list\.$/,
  },
  {
    what: 'a value the parameter refuses',
    text: 'runbooks:\n  postgres-remount:\n    strategy: restart\n',
    says: /^runbook\.config\.yaml line 3: runbooks\.postgres-remount\.strategy must be one of scale, recreate; "restart" is not\.$/,
  },
  {
    what: 'a number out of range',
    text: 'defaults:\n  timeout: 99999\n',
    says: /^runbook\.config\.yaml line 2: defaults\.timeout must be a whole number from \d+ to \d+; "99999" is not\.$/,
  },
  {
    what: 'a YAML syntax error',
    text: 'runbooks:\n  postgres-remount:\n    namespace: db\n   deployment: pg\n',
    says: /^runbook\.config\.yaml line 4: the YAML does not parse: .+\.$/,
  },
  {
    what: 'a webhook URL where a variable name belongs',
    text: 'chat:\n  discord: https://discord.com/api/webhooks/1/hush-hush\n',
    says: /^runbook\.config\.yaml line 2: chat\.discord must name the environment variable that holds the webhook URL, not the URL itself: keep the URL out of the repository\.$/,
  },
  {
    what: 'an alert route to an unknown parameter',
    text: "alerts:\n  - alert: NodeDown\n    runbook: node-recycle\n    params: { nodename: '{{exported_node}}' }\n",
    says: /^runbook\.config\.yaml line 4: alerts\[0\]\.params\.nodename is not a parameter of node-recycle \(did you mean node\?\)$/,
  },
  {
    what: 'a file encrypted with git-crypt',
    text: Buffer.concat([Buffer.from('\0GITCRYPT\0'), Buffer.from([0x8f, 0x00, 0x12, 0xfe])]),
    says: /^The configuration file runbook\.config\.yaml is encrypted with git-crypt: unlock the repository \(git-crypt unlock\) and try again\.$/,
  },
];

describe('a bad runbook.config.yaml', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('2020-12-11-postgres-conn-surge');
  });
  after(() => h.stop());

  for (const bad of BAD_FILES) {
    it(`${bad.what}: one sentence with the line, exit 3, nothing connected, nothing journaled`, async () => {
      const repo = teamRepository(bad.text);
      const stateDir = mkdtempSync(join(tmpdir(), 'runbook-config-state-'));
      const requestsBefore = h.sim.requests.length;
      const result = await runIn(repo, ['postgres-remount', '--yes'], h.env({ RUNBOOK_STATE_DIR: stateDir }));
      assert.equal(result.exitCode, EXIT_CODES['invalid-parameter'], result.stderr + result.stdout);
      const lines = result.stderr.split('\n').filter((l) => l !== '');
      assert.equal(lines.length, 1, `one line: ${result.stderr}`);
      assert.match((lines[0] ?? '').replace(/^✖ /, ''), bad.says);
      assert.doesNotMatch(result.stderr, /hush-hush/, 'the URL is not echoed');
      assert.equal(result.stdout, '', 'no header: nothing was connected to');
      assert.equal(h.sim.requests.length, requestsBefore, 'not one request reached the simulator');
      assert.deepEqual(readdirSync(stateDir, { recursive: true }), [], 'no journal was written');
    });
  }

  it('is refused by `runbook config` the same way', async () => {
    const repo = teamRepository('runbooks:\n  postgres-remount:\n    namspace: db\n');
    const result = await runIn(repo, ['config']);
    assert.equal(result.exitCode, EXIT_CODES['invalid-parameter']);
    assert.equal(
      result.stderr.trim(),
      '✖ runbook.config.yaml line 3: runbooks.postgres-remount.namspace is not a parameter of postgres-remount (did you mean namespace?)',
    );
  });

  it('RUNBOOK_CONFIG naming a file that is not there is an error, not "no configuration"', async () => {
    const repo = teamRepository('lock:\n  namespace: ops\n');
    const requestsBefore = h.sim.requests.length;
    const result = await runIn(
      repo,
      ['postgres-remount', '--yes'],
      h.env({ RUNBOOK_CONFIG: 'ops/missing.yaml' }),
    );
    assert.equal(result.exitCode, EXIT_CODES['invalid-parameter'], result.stderr);
    assert.match(result.stderr, /^✖ RUNBOOK_CONFIG names ops\/missing\.yaml, which is not a file/);
    assert.equal(h.sim.requests.length, requestsBefore);
  });

  it('a bad RUNBOOK_PARAM_ value names the variable, exit 3, nothing connected', async () => {
    const repo = teamRepository('');
    const requestsBefore = h.sim.requests.length;
    const result = await runIn(
      repo,
      ['postgres-remount', '--yes'],
      h.env({ RUNBOOK_PARAM_NAMESPACE: 'Ops_Team' }),
    );
    assert.equal(result.exitCode, EXIT_CODES['invalid-parameter'], result.stderr);
    assert.match(result.stderr, /^✖ RUNBOOK_PARAM_NAMESPACE "Ops_Team" is not a valid Kubernetes namespace/);
    assert.equal(h.sim.requests.length, requestsBefore);
  });
});
