// `runbook completion bash`, loaded into a real bash: its completion function, called as bash calls
// it at a TAB (COMP_WORDS, COMP_CWORD), offers commands, runbook ids, flags, run ids, scenarios, and
// the nodes of a cluster that answers; nothing, quickly, from one that does not.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { BIN, cleanEnv, runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const dir = mkdtempSync(join(tmpdir(), 'runbook-completion-'));
const script = join(dir, 'runbook.bash');
const stateDir = join(dir, 'state');
/** `runbook` on the PATH, as an installed copy is: the script calls the command being completed. */
const binDir = join(dir, 'bin');

/** The candidates bash offers for the words typed, the last one being completed. */
async function complete(words: readonly string[], env: Record<string, string> = {}): Promise<string[]> {
  const quoted = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const result = await execa(
    'bash',
    [
      '--norc',
      '-c',
      [
        `source '${script}'`,
        // What bash does at a TAB: the function registered for the command, called with the words.
        `fn=$(complete -p runbook | sed -E 's/.* -F ([^ ]+) .*/\\1/')`,
        `COMP_WORDS=(${quoted})`,
        `COMP_CWORD=${words.length - 1}`,
        `COMP_LINE="\${COMP_WORDS[*]}"`,
        `COMP_POINT=\${#COMP_LINE}`,
        '"$fn" runbook "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"',
        'printf "%s\\n" "${COMPREPLY[@]}"',
      ].join('\n'),
    ],
    {
      env: cleanEnv({
        PATH: `${binDir}:${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
        RUNBOOK_STATE_DIR: stateDir,
        ...env,
      }),
      extendEnv: false,
      timeout: 30_000,
    },
  );
  return result.stdout.split('\n').filter((line) => line !== '');
}

describe('runbook completion', () => {
  let h: SimHarness;
  let runId = '';

  before(async () => {
    mkdirSync(binDir, { recursive: true });
    writeFileSync(join(binDir, 'runbook'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(binDir, 'runbook'), 0o755);
    const printed = await runCli(['completion', 'bash']);
    assert.equal(printed.exitCode, 0, printed.stderr);
    writeFileSync(script, printed.stdout);
    h = await startSimHarness('2021-01-10-primary-kubernetes-node-outage');
    const run = await runCli(['resource-limits-audit', '-o', 'json'], {
      env: h.env({ RUNBOOK_STATE_DIR: stateDir }),
    });
    assert.equal(run.exitCode, 0, run.stderr);
    runId = (JSON.parse(run.stdout) as { runId: string }).runId;
  });
  after(() => h.stop());

  it('completes `runbook pos<TAB>` to the Postgres runbooks', async () => {
    assert.deepEqual(await complete(['runbook', 'pos']), [
      'postgres-backup',
      'postgres-connections',
      'postgres-major-upgrade',
      'postgres-remount',
    ]);
  });

  it('completes a command, and a runbook id where one is asked for', async () => {
    assert.deepEqual(await complete(['runbook', 'hist']), ['history']);
    assert.deepEqual(await complete(['runbook', 'show', 'node-d']), ['node-drain']);
    assert.deepEqual(await complete(['runbook', 'sim', '']), ['list', 'start']);
  });

  it("completes a team's own runbook ids, from --runbooks", async () => {
    const team = join(dir, 'team');
    const written = await runCli(['new', 'restart-site', '--dir', team]);
    assert.equal(written.exitCode, 0, written.stderr);
    assert.deepEqual(await complete(['runbook', '--runbooks', team, 'resta']), ['restart-site']);
    assert.deepEqual(await complete(['runbook', '--runbooks', team, 'show', 'restart-']), ['restart-site']);
  });

  it("completes a command's flags", async () => {
    const flags = await complete(['runbook', 'node-drain', '--']);
    for (const flag of ['--dry-run', '--yes', '--node', '--kubeconfig', '--context', '--output', '--help'])
      assert.ok(flags.includes(flag), `${flag} in ${flags.join(' ')}`);
    assert.deepEqual(await complete(['runbook', 'node-drain', '--dr']), ['--dry-run']);
    assert.deepEqual(await complete(['runbook', 'postgres-remount', '-n']), ['-n']);
  });

  it('completes run ids from the journal folder, and scenario names', async () => {
    assert.deepEqual(await complete(['runbook', 'log', runId.slice(0, 8)]), [runId]);
    assert.ok(
      (await complete(['runbook', 'node-drain', '--sim', '2021-01-1'])).includes(
        '2021-01-10-primary-kubernetes-node-outage',
      ),
    );
    assert.deepEqual(await complete(['runbook', 'log', runId, '-o', 'r']), ['rst']);
  });

  it("completes --node with the cluster's node names, when a cluster answers", async () => {
    const names = h.sim.world.kube.list('v1', 'Node').map((n) => n.metadata.name);
    assert.ok(names.length > 0);
    assert.deepEqual(
      await complete(['runbook', 'node-drain', '--kubeconfig', h.kubeconfig, '--node', '']),
      [...names].sort(),
    );
    // From KUBECONFIG too, as every other command reads it.
    assert.deepEqual(
      await complete(['runbook', 'node-recycle', '--node', ''], { KUBECONFIG: h.kubeconfig }),
      [...names].sort(),
    );
  });

  it('offers no node (and no error) when no cluster answers', async () => {
    // A port that accepts and never answers, and no kubeconfig at all.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const kubeconfig = join(dir, 'silent.kubeconfig');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{ name: c, cluster: { server: "http://127.0.0.1:' + String(port) + '" } }]',
        'users: [{ name: u, user: { token: t } }]',
        'contexts: [{ name: x, context: { cluster: c, user: u } }]',
        'current-context: x',
      ].join('\n'),
    );
    try {
      assert.deepEqual(
        await complete(['runbook', 'node-drain', '--kubeconfig', kubeconfig, '--node', '']),
        [],
      );
      assert.deepEqual(await complete(['runbook', 'node-drain', '--node', '']), []);
    } finally {
      silent.close();
    }
  });

  it('prints zsh and fish scripts that call the same completer, and refuses another shell', async () => {
    for (const shell of ['zsh', 'fish']) {
      const result = await runCli(['completion', shell]);
      assert.equal(result.exitCode, 0, result.stderr);
      assert.match(result.stdout, /runbook|\$\{words\[1\]\}/);
      assert.match(result.stdout, /__complete/);
    }
    const refused = await runCli(['completion', 'tcsh']);
    assert.equal(refused.exitCode, 2);
    assert.match(refused.stderr, /bash, zsh, fish; not in "tcsh"/);
  });
});
