// `sim start --load` of a repository in the shape teams keep (test/fixtures/team-repo): one pass
// that applies what it can, says what it skips and why, names what failed, and a world that comes
// up so the runbooks plan against it. The encrypted Secret is written here: git keeps it binary.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { execa } from 'execa';
import { SCAN_LIMITS } from '../../src/manifests/repository-scan.js';
import { manifestsLoader, reportLines } from '../../src/sim/load.js';
import { type RunningSimulator, startSimulator } from '../../src/sim/server.js';
import { BIN, ROOT, cleanEnv, runCli, simStartPrinted } from '../helpers/cli.js';

/**
 * The one place the totals live. Kinds the simulator does not serve yet (CronJob, Ingress, RBAC,
 * CRDs and their resources) are counted failed: when they are served, move them to applied.
 */
const EXPECTED = { applied: 18, skipped: 10, failed: 2 };
const TOTAL = `Loaded: ${EXPECTED.applied} applied, ${EXPECTED.skipped} skipped, ${EXPECTED.failed} failed.`;

function teamRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-team-repo-'));
  cpSync(join(ROOT, 'test', 'fixtures', 'team-repo'), dir, { recursive: true });
  // What git-crypt leaves in a clone without the key: its magic, then ciphertext.
  writeFileSync(
    join(dir, 'namespaces', 'default', 'site', 'secrets.yaml'),
    Buffer.concat([Buffer.from('\0GITCRYPT\0', 'latin1'), randomBytes(300)]),
  );
  // What `kubectl apply -R` never reads either.
  cpSync(join(dir, 'rbac'), join(dir, 'node_modules', 'pkg'), { recursive: true });
  cpSync(join(dir, 'rbac'), join(dir, '.git', 'objects'), { recursive: true });
  return dir;
}

describe('sim start --load of a team repository', () => {
  let dir: string;
  let sim: RunningSimulator;
  let lines: string[];
  before(async () => {
    dir = teamRepository();
    const loader = manifestsLoader(dir);
    sim = await startSimulator({ world: loader, speed: 'instant' });
    lines = reportLines(loader.report);
  });
  after(async () => {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads every file in one pass and ends with the totals', () => {
    assert.equal(lines.at(-1), TOTAL, lines.join('\n'));
    assert.equal(lines.filter((l) => l.startsWith('skipped ')).length, EXPECTED.skipped);
    assert.equal(lines.filter((l) => l.startsWith('failed ')).length, EXPECTED.failed);
    assert.ok(!lines.some((l) => /node_modules|\.git\//.test(l)), 'node_modules and .git are not read');
  });

  it('skips what is not Kubernetes, one line each saying what it is', () => {
    for (const expected of [
      'skipped namespaces/bots/reminder/values.yaml: Helm values',
      'skipped helm/monitoring/values.yaml: Helm values',
      'skipped rules/alerts.yaml: Prometheus rules',
      'skipped README.md: documentation',
      'skipped namespaces/default/postgres/README.md: documentation',
      'skipped Makefile: a Makefile',
      "skipped helm/monitoring/Chart.yaml: a Helm chart's Chart.yaml",
      'skipped helm/monitoring/templates/grafana.yaml: a template ({{ }}): helm renders it, kubectl cannot apply it',
    ])
      assert.ok(lines.includes(expected), `${expected}\nin\n${lines.join('\n')}`);
  });

  it('names the encrypted file and how to include it', () => {
    assert.ok(
      lines.includes(
        'skipped namespaces/default/site/secrets.yaml: encrypted with git-crypt: unlock the repository (git-crypt unlock) to include it',
      ),
      lines.join('\n'),
    );
  });

  it('fails a file that is not YAML with its line, an object the API refuses with its message', () => {
    assert.ok(lines.includes('failed  namespaces/default/redis/config.yaml: not valid YAML (line 5)'));
    assert.ok(
      lines.some((l) =>
        /^failed {2}namespaces\/default\/site\/settings\.yaml: ConfigMap Site_Settings: ConfigMap "Site_Settings" is invalid: .*lowercase RFC 1123/.test(
          l,
        ),
      ),
      lines.join('\n'),
    );
  });

  it('creates a namespace no file creates, and says so', () => {
    assert.ok(sim.world.kube.get('v1', 'Namespace', undefined, 'bots') !== undefined);
    assert.ok(lines.some((l) => l.startsWith('created namespace bots: no file creates it')));
  });

  it('comes up: Deployments Ready (kubectl-style indentation included), StatefulSet volumes bound', () => {
    const ready = (ns: string, name: string): number | undefined =>
      (
        sim.world.kube.get('apps/v1', 'Deployment', ns, name)?.status as
          { readyReplicas?: number } | undefined
      )?.readyReplicas;
    assert.equal(ready('default', 'postgres'), 1);
    assert.equal(ready('default', 'site'), 2);
    assert.equal(ready('bots', 'reminder'), 1);
    const args = (
      sim.world.kube.get('apps/v1', 'Deployment', 'default', 'postgres')?.spec as {
        template: { spec: { containers: Array<{ args?: string[] }> } };
      }
    ).template.spec.containers[0]?.args;
    assert.deepEqual(args, ['-c', 'max_connections=100'], 'a flow sequence less indented than its key');
    assert.ok(
      sim.world.kube.get('v1', 'ConfigMap', 'default', 'site-alert-template') !== undefined,
      "a ConfigMap holding an alert's {{ }} is applied",
    );
    const claim = sim.world.kube.get('v1', 'PersistentVolumeClaim', 'default', 'data-redis-0');
    assert.equal((claim?.status as { phase?: string } | undefined)?.phase, 'Bound');
  });
});

describe('runbook sim start --load <team repository>', () => {
  it('prints the report, exits 0 on Ctrl-C, and postgres-remount plans against it', async () => {
    const dir = teamRepository();
    const home = mkdtempSync(join(tmpdir(), 'runbook-team-kc-'));
    const kubeconfig = join(home, 'sim.kubeconfig');
    const server = execa(
      process.execPath,
      [BIN, 'sim', 'start', '--load', dir, '--port', '0', '--kubeconfig', kubeconfig, '--speed', 'instant'],
      { env: cleanEnv(), extendEnv: false, cwd: ROOT, reject: false },
    );
    try {
      const printed = await simStartPrinted(server.stdout, 60_000);
      assert.match(printed, /^skipped namespaces\/default\/site\/secrets\.yaml: encrypted with git-crypt/m);
      assert.ok(printed.includes(TOTAL), printed);
      assert.doesNotMatch(printed, /Pick another --port/);
      const env = Object.fromEntries(
        [...printed.matchAll(/^export (\w+)=(.*)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']),
      );
      const result = await runCli(['postgres-remount', '--dry-run', '--kubeconfig', kubeconfig], {
        env: cleanEnv({ LINODE_API_URL: env.LINODE_API_URL ?? '', LINODE_TOKEN: env.LINODE_TOKEN ?? '' }),
      });
      assert.equal(result.exitCode, 0, result.stderr + result.stdout);
      assert.match(result.stdout, /cluster {2}lke\d+-ctx at http:\/\/127\.0\.0\.1:\d+ \(3 nodes\)/);
    } finally {
      server.kill('SIGINT');
      const done = await server;
      assert.equal(done.exitCode, 0, done.stderr);
      rmSync(dir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('runbook sim start --load <not a folder>', () => {
  it('exits 3 with one sentence and starts nothing', async () => {
    const result = await runCli(
      ['sim', 'start', '--load', join(tmpdir(), 'no-such-team-repo'), '--port', '0'],
      {
        timeoutMs: 20_000,
      },
    );
    assert.equal(result.exitCode, 3, result.stderr);
    assert.match(result.stderr, /^✖ --load \S+no-such-team-repo: there is no such folder\.$/m);
    assert.equal(result.stdout, '');
  });
});

describe('sim start --load of a folder past its bounds', () => {
  it('reads up to the cap and says what it did not read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runbook-big-repo-'));
    for (let i = 0; i <= SCAN_LIMITS.files; i++)
      writeFileSync(join(dir, `n${String(i).padStart(5, '0')}.md`), '');
    const deep = join(dir, ...Array.from({ length: SCAN_LIMITS.depth + 1 }, (_, i) => `d${String(i)}`));
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\n');
    const lines = reportLines(manifestsLoader(dir).report);
    rmSync(dir, { recursive: true, force: true });
    const deepest = Array.from({ length: SCAN_LIMITS.depth + 1 }, (_, i) => `d${String(i)}`).join('/');
    assert.ok(
      lines.includes(
        `stopped reading: ${deepest} is nested deeper than ${String(SCAN_LIMITS.depth)} folders: not read`,
      ),
      lines.slice(-3).join('\n'),
    );
    assert.ok(
      lines.includes(`stopped reading: more than ${String(SCAN_LIMITS.files)} files: the rest were not read`),
    );
    assert.equal(lines.filter((l) => l.startsWith('skipped ')).length, SCAN_LIMITS.files);
  });
});

describe('runbook sim start on a port in use', () => {
  it('is the one failure reported as a port problem', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const address = busy.address();
    assert.ok(address !== null && typeof address === 'object');
    const dir = teamRepository();
    const home = mkdtempSync(join(tmpdir(), 'runbook-team-kc-'));
    try {
      const result = await runCli(
        ['sim', 'start', '--load', dir, '--port', String(address.port), '--kubeconfig', join(home, 'kc')],
        { timeoutMs: 20_000 },
      );
      assert.equal(result.exitCode, 2, result.stderr);
      assert.match(result.stderr, /could not listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/);
      assert.match(result.stderr, /Pick another --port/);
    } finally {
      busy.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(home, { recursive: true, force: true });
    }
  });
});
