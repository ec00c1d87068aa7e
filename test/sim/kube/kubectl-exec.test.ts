// The real kubectl 1.32 execs into simulated pods: psql, pg_isready and pg_dump reach the real
// PostgreSQL behind the Postgres pod; other containers answer a few harmless commands; the exit
// codes and messages are the kubelet's and containerd's, and no password ever shows.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { APP_PASSWORD, SUPERUSER_PASSWORD, type TestPostgres } from '../../helpers/postgres.js';
import type { KubeSim } from '../../../src/sim/kube/index.js';
import { KUBECTL, type KubectlResult, kubectlMissing } from './kubectl.js';
import {
  type SimKubectl,
  runWithInput,
  startPostgresPod,
  startSimKubectl,
  stopPostgresPod,
} from './sim-kubectl.js';

/** A reason to skip the terminal test where util-linux script(1) is missing. */
const noScript: string | false =
  spawnSync('script', ['--version']).status === 0 ? false : 'script(1) is not installed';

const noSecret = (r: KubectlResult): void => {
  for (const secret of [SUPERUSER_PASSWORD, APP_PASSWORD, 'planted-env-secret-5b1'])
    assert.ok(!`${r.stdout}${r.stderr}`.includes(secret), 'a password reached kubectl');
};

describe('kubectl exec against the simulator', { skip: kubectlMissing }, () => {
  let s: SimKubectl;
  let db: TestPostgres;
  let pod: string;
  before(async () => {
    ({ s, db, pod } = await startPostgresPod({ registered: true }));
  });
  after(() => stopPostgresPod(s, db));

  it('psql -c runs on the real PostgreSQL: a row inserted through exec is in the database', async () => {
    const created = await s.k.run(
      'exec',
      pod,
      '--',
      'psql',
      '-U',
      'app',
      '-d',
      'appdb',
      '-c',
      'create table notes (id int primary key, body text)',
    );
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout, 'CREATE TABLE\n');
    const inserted = await s.k.run(
      'exec',
      pod,
      '-c',
      'postgres',
      '--',
      'psql',
      '-h',
      'db.elsewhere.example',
      '-p',
      '6543',
      '-U',
      'app',
      '-d',
      'appdb',
      '-c',
      "insert into notes values (1, 'from kubectl exec')",
    );
    assert.equal(inserted.code, 0, inserted.stderr);
    assert.equal(inserted.stdout, 'INSERT 0 1\n');
    // The world afterwards: the row is in the real database, read without kubectl.
    const client = new pg.Client({ connectionString: db.appUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ body: string }>('select body from notes where id = 1');
      assert.deepEqual(rows, [{ body: 'from kubectl exec' }]);
    } finally {
      await client.end();
    }
    noSecret(inserted);
  });

  it('psql reads SQL from stdin with exec -i', async () => {
    const r = await runWithInput(
      s.k,
      'select current_user, current_database();\n',
      'exec',
      '-i',
      pod,
      '--',
      'psql',
      '-U',
      'postgres',
      '-At',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'postgres|postgres\n');
    noSecret(r);
  });

  it(
    'exec -it psql on a terminal: typed SQL is echoed and answered, Ctrl-D ends it',
    { skip: noScript },
    async () => {
      // script(1) gives kubectl a pty, as an on-call's terminal would.
      const command = `${KUBECTL} --kubeconfig ${join(s.k.dir, 'kubeconfig')} exec -it ${pod} -- psql -U postgres -At`;
      const child = spawn('script', ['-qfec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
      let seen = '';
      const timer = setTimeout(() => child.kill(), 30_000);
      child.stdout.on('data', (chunk: Buffer) => {
        seen += chunk.toString('utf8');
        if (/^42\r$/m.test(seen)) child.stdin.write('\x04');
      });
      child.stdin.write('select 40 + 2 as answer;\r');
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      clearTimeout(timer);
      assert.equal(code, 0, seen);
      assert.match(seen, /select 40 \+ 2 as answer;\r\n/);
      assert.match(seen, /^42\r$/m);
    },
  );

  it('a failing statement: psql exit code 1, the server error, and kubectl says the exit code', async () => {
    const r = await s.k.run(
      'exec',
      pod,
      '--',
      'psql',
      '-U',
      'app',
      '-d',
      'appdb',
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      'select 1/0',
    );
    assert.equal(r.code, 1);
    assert.match(r.stderr, /ERROR: {2}division by zero/);
    assert.match(r.stderr, /command terminated with exit code 1\n$/);
  });

  it('exec deploy/postgres finds the pod as kubectl does, and the runbook-style check passes', async () => {
    const r = await s.k.run(
      'exec',
      'deploy/postgres',
      '--',
      'psql',
      '-U',
      'postgres',
      '-At',
      '-c',
      'select pg_is_in_recovery()',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'f\n');
  });

  it('pg_isready answers as in the pod, on its socket', async () => {
    const r = await s.k.run('exec', pod, '--', 'pg_isready', '-U', 'postgres');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '/var/run/postgresql:5432 - accepting connections\n');
  });

  it('psql is refused what would reach the host: shell escapes, output files, other servers', async () => {
    const shellEscape = await s.k.run('exec', pod, '--', 'psql', '-U', 'postgres', '-c', '\\! id');
    assert.equal(shellEscape.code, 1);
    assert.match(shellEscape.stderr, /psql: \\!: .*refused/);
    const piped = await runWithInput(
      s.k,
      'select 1;\n\\o /tmp/leak\n',
      'exec',
      '-i',
      pod,
      '--',
      'psql',
      '-U',
      'postgres',
    );
    assert.equal(piped.code, 1);
    assert.match(piped.stderr, /psql: \\o: .*refused/);
    const conninfo = await s.k.run('exec', pod, '--', 'psql', 'postgresql://postgres@10.0.0.9/postgres');
    assert.equal(conninfo.code, 2);
    assert.match(conninfo.stderr, /not a connection string/);
    const output = await s.k.run(
      'exec',
      pod,
      '--',
      'psql',
      '-U',
      'postgres',
      '-o',
      '/etc/passwd',
      '-c',
      'select 1',
    );
    assert.equal(output.code, 2);
    // getopt's other spellings: bundled short options and abbreviated long ones.
    const psql = (...args: string[]): Promise<KubectlResult> =>
      s.k.run('exec', pod, '--', 'psql', '-U', 'postgres', ...args);
    const bundled = await psql('-Atc', '\\! id');
    assert.equal(bundled.code, 1);
    assert.match(bundled.stderr, /psql: \\!: .*refused/);
    const bundledFile = await psql('-Ato', '/tmp/leak', '-c', 'select 1');
    assert.equal(bundledFile.code, 2);
    const abbreviated = await psql('--out=/tmp/leak', '-c', 'select 1');
    assert.equal(abbreviated.code, 2);
    assert.match(abbreviated.stderr, /--output would write on the simulator's host/);
    // -f reads the container's files, never the host's.
    const hostFile = await psql('-Atf', '/etc/passwd');
    assert.equal(hostFile.code, 1);
    assert.equal(
      hostFile.stderr,
      'psql: error: /etc/passwd: No such file or directory\ncommand terminated with exit code 1\n',
    );
  });

  it("an unknown command fails to start with containerd's message; kubectl exits 1", async () => {
    const r = await s.k.run('exec', pod, '--', 'redis-cli', 'ping');
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "redis-cli": executable file not found in \$PATH: unknown\n$/,
    );
  });

  it('a shell is refused with exit code 126, naming what to run instead', async () => {
    const r = await s.k.run('exec', pod, '--', 'sh', '-c', 'psql -U postgres -c "select 1"');
    assert.equal(r.code, 126);
    assert.match(r.stderr, /sh: the simulator runs no shell/);
    assert.match(r.stderr, /command terminated with exit code 126\n$/);
  });

  it("env shows the pod spec's environment, Secret values as kubectl describe shows them", async () => {
    s.sim.world.kube.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'site-db', namespace: 'default' },
      type: 'Opaque',
      stringData: { password: 'planted-env-secret-5b1' },
    });
    s.sim.world.kube.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'site-config', namespace: 'default' },
      data: { LOG_LEVEL: 'debug' },
    });
    s.sim.world.kube.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'toolbox', namespace: 'default', labels: { app: 'toolbox' } },
      spec: {
        containers: [
          {
            name: 'toolbox',
            image: 'busybox:1.36',
            env: [
              { name: 'DB_HOST', value: 'postgres' },
              { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'site-db', key: 'password' } } },
              { name: 'MY_NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
            ],
            envFrom: [{ configMapRef: { name: 'site-config' } }],
          },
        ],
      },
    });
    const pod = await waitRunning(s, 'toolbox');
    const r = await s.k.run('exec', 'toolbox', '--', 'env');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^DB_HOST=postgres$/m);
    assert.match(r.stdout, /^DB_PASSWORD=<set to the key 'password' in secret 'site-db'>$/m);
    assert.match(r.stdout, /^LOG_LEVEL=debug$/m);
    assert.match(r.stdout, new RegExp(`^MY_NODE=${pod.nodeName}$`, 'm'));
    assert.match(r.stdout, /^HOSTNAME=toolbox$/m);
    noSecret(r);
    const psql = await s.k.run('exec', 'toolbox', '--', 'psql');
    assert.match(psql.stderr, /exec: "psql": executable file not found in \$PATH/);
  });

  it('a pod that does not exist, and a container that is not in the pod, are named', async () => {
    const missing = await s.k.run('exec', 'no-such-pod', '--', 'env');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'Error from server (NotFound): pods "no-such-pod" not found\n');
    const container = await s.k.run('exec', pod, '-c', 'sidecar', '--', 'env');
    assert.equal(container.code, 1);
    assert.equal(
      container.stderr,
      `Error from server (BadRequest): container sidecar is not valid for pod ${pod}\n`,
    );
  });

  it('RBAC that refuses create on pods/exec is a 403 kubectl shows; lifting it lets exec through', async () => {
    const policy = (method: string, body?: unknown): Promise<Response> =>
      fetch(`${s.sim.url}/_sim/policy`, {
        method,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    assert.equal((await policy('POST', { deny: [{ verb: 'create', resource: 'pods/exec' }] })).status, 200);
    const denied = await s.k.run('exec', pod, '--', 'env');
    await policy('DELETE');
    assert.equal(denied.code, 1);
    assert.match(
      denied.stderr,
      /forbidden: User "sim-user" cannot create resource "pods\/exec" in API group "" in the namespace "default"/,
    );
    const allowed = await s.k.run('exec', pod, '--', 'hostname');
    assert.equal(allowed.stdout, `${pod}\n`);
  });

  it('ls in any container lists its own scratch filesystem', async () => {
    const site = s.podOf('site');
    const r = await s.k.run('exec', site, '--', 'ls', '/tmp');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
  });
});

/** Resolves once the pod's container runs, re-checking on every change of the world; bounded. */
function waitRunning(s: SimKubectl, name: string): Promise<{ nodeName: string }> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      const pod = s.sim.world.kube.get('v1', 'Pod', 'default', name) as
        | {
            spec?: { nodeName?: string };
            status?: { containerStatuses?: Array<{ state?: { running?: unknown } }> };
          }
        | undefined;
      if (pod?.status?.containerStatuses?.[0]?.state?.running === undefined) return;
      finish();
      resolve({ nodeName: pod.spec?.nodeName ?? '' });
    };
    // The server's world is the Kubernetes simulator itself, which tells of every change.
    const off = (s.sim.world.kube as KubeSim).onChange(() => setImmediate(check));
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`${name} did not start`));
    }, 10_000);
    const finish = (): void => {
      off();
      clearTimeout(timer);
    };
    check();
  });
}

describe('kubectl exec into a crash-looping container', { skip: kubectlMissing }, () => {
  it('is refused as the kubelet refuses it: the container is not there to run in', async () => {
    const s = await startSimKubectl('2021-01-12-site-cpu-ram-exhaustion');
    try {
      const pod = s.sim.world.kube
        .list('v1', 'Pod', 'default')
        .find((p) => p.metadata.labels?.app === 'postgres')?.metadata.name;
      assert.ok(pod !== undefined);
      const r = await s.k.run('exec', pod, '--', 'pg_isready');
      assert.equal(r.code, 1);
      assert.equal(r.stderr, 'error: unable to upgrade connection: container not found ("postgres")\n');
    } finally {
      await s.stop();
    }
  });
});
