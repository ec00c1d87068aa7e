// The simulator under load: mixed reads from a keep-alive client with 50 watches open, against
// `runbook sim start` in its own process (one core: Node runs it on one thread).
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './result.js';

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in clock ticks of 10 ms
}

export async function benchSimThroughput(root: string, seconds = 5, concurrency = 32): Promise<BenchResult> {
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'runbook-bench-')), 'kubeconfig');
  const child = spawn(
    process.execPath,
    [
      join(root, 'dist', 'bin', 'runbook.js'),
      'sim',
      'start',
      '--scenario',
      'healthy',
      '--kubeconfig',
      kubeconfig,
      '--speed',
      'instant',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
      if (found?.[1] !== undefined) resolve(found[1]);
    });
    child.once('exit', () => reject(new Error(`sim start ended: ${text}`)));
  });
  const token = /token: (\S+)/.exec(readFileSync(kubeconfig, 'utf8'))?.[1] ?? '';
  const headers = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency + 60 });
  const get = (path: string): Promise<number> =>
    new Promise((resolve, reject) => {
      const req = request(`${url}${path}`, { agent, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end();
    });
  const watches = Array.from({ length: 50 }, (_, i) =>
    request(
      `${url}/api/v1/namespaces/default/pods?watch=true&labelSelector=w%3D${i}`,
      { agent, headers },
      (res) => res.resume(),
    ),
  );
  for (const w of watches) w.end();
  const paths = [
    '/api/v1/namespaces/default/pods',
    '/api/v1/nodes',
    '/apis/apps/v1/namespaces/default/deployments/postgres',
    '/api/v1/namespaces/default/persistentvolumeclaims/postgres-storage',
    '/api/v1/namespaces/default/pods?labelSelector=app%3Dpostgres',
  ];
  let done = 0;
  let failed = 0;
  const cpuBefore = cpuMs(child.pid ?? 0);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = worker; performance.now() < deadline; i += concurrency) {
        const status = await get(paths[i % paths.length] ?? '/api/v1/nodes');
        if (status === 200) done++;
        else failed++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = (cpuMs(child.pid ?? 0) - cpuBefore) / 1000 / elapsed;
  for (const w of watches) w.destroy();
  agent.destroy();
  child.kill('SIGINT');
  const rate = done / elapsed;
  return {
    name: `simulator: mixed reads with 50 open watches (${concurrency} in flight)`,
    value: `${Math.round(rate)} requests/s, ${failed} failed, simulator CPU ${(cpu * 100).toFixed(0)}% of one core`,
    ratio: rate / 2000,
    goal: '≥ 2000 requests/s on one core',
    met: rate >= 2000 && failed === 0,
  };
}
