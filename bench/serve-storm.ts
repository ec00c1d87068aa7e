// The alert receiver's door under a storm: how fast the built `runbook serve`, in its own process as in
// its pod, answers Alertmanager while its dry runs run, and its peak memory against the Deployment's
// limit. Alertmanager waits for each answer, so a slow door delays the receiver's other notifications.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { findScenario } from '../src/sim/scenarios/index.js';
import { scenarioLoader, startSimulator } from '../src/sim/server.js';
import { startDeadline } from '../src/engine/deadline.js';
import type { BenchResult } from './result.js';
import { median } from './measure.js';

const NOTIFICATIONS = 5000;
const SENDERS = 32;
const TOKEN = 'bench-serve-token';

function payload(i: number): string {
  const names = ['PostgresqlDown', 'NodeBalancerBackendDown', 'KubePodCrashLooping', 'NobodyRoutesThis'];
  const alertname = names[i % names.length] ?? '';
  return JSON.stringify({
    version: '4',
    status: 'firing',
    receiver: 'runbook',
    groupKey: `{}:{alertname="${alertname}"}`,
    groupLabels: { alertname },
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    truncatedAlerts: 0,
    alerts: [
      {
        status: 'firing',
        labels: { alertname, namespace: 'default', severity: 'page' },
        annotations: {},
        startsAt: '2020-12-11T13:24:07Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph',
        fingerprint: `f${i % 4}`,
      },
    ],
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

export async function benchServeStorm(root: string): Promise<BenchResult[]> {
  const scenario = findScenario('2020-12-11-postgres-conn-surge');
  if (scenario === undefined) throw new Error('no 2020-12-11-postgres-conn-surge scenario');
  const sim = await startSimulator({ world: scenarioLoader(scenario), speed: 'instant' });
  const kubeconfig = join(mkdtempSync(join(tmpdir(), 'runbook-bench-')), 'kubeconfig');
  writeFileSync(kubeconfig, sim.kubeconfig());
  let posts = 0;
  const chat = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      posts++;
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => chat.listen(0, '127.0.0.1', resolve));
  const chatUrl = `http://127.0.0.1:${(chat.address() as AddressInfo).port}/hook`;
  const serve = spawn(
    process.execPath,
    [
      join(root, 'dist/bin/runbook.js'),
      'serve',
      '--listen',
      '127.0.0.1:0',
      '--fold-window',
      '1s',
      '--kubeconfig',
      kubeconfig,
    ],
    {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        RUNBOOK_SERVE_TOKEN: TOKEN,
        DISCORD_WEBHOOK_URL: chatUrl,
        LINODE_API_URL: sim.linodeApiUrl,
        LINODE_TOKEN: sim.linodeToken,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const events: Record<string, unknown>[] = [];
  const listening = new Promise<string>((resolve, reject) => {
    createInterface({ input: serve.stdout }).on('line', (line) => {
      const event = JSON.parse(line) as Record<string, unknown>;
      events.push(event);
      if (event.event === 'listening') resolve(String(event.url));
    });
    serve.once('exit', (code) => reject(new Error(`runbook serve exited ${String(code)} before listening`)));
  });
  const url = await listening;
  const post = async (i: number): Promise<number> => {
    const deadline = startDeadline(30_000);
    try {
      const response = await deadline.race(
        fetch(`${url}/alertmanager`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
          body: payload(i),
          signal: deadline.signal,
        }),
      );
      await deadline.race(response.arrayBuffer());
      return response.status;
    } finally {
      deadline.dispose();
    }
  };
  // Warm up until each routed kind has had its first dry run (modules loaded, connections open); then
  // a fold window of one second keeps dry runs starting all through the storm.
  const done = (): number => events.filter((e) => e.event === 'dry-run-done').length;
  for (let i = 0; i < 4; i++) await post(i);
  const warm = startDeadline(120_000);
  while (done() < 3) await warm.race(new Promise((resolve) => setTimeout(resolve, 50)));
  warm.dispose();
  const latencies: number[] = [];
  let refused = 0;
  let next = 0;
  const started = performance.now();
  async function sender(): Promise<void> {
    for (let i = next++; i < NOTIFICATIONS; i = next++) {
      const sent = performance.now();
      if ((await post(i)) !== 202) refused++;
      latencies.push(performance.now() - sent);
    }
  }
  await Promise.all(Array.from({ length: SENDERS }, sender));
  const seconds = (performance.now() - started) / 1000;
  const peakRssMb =
    Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${String(serve.pid)}/status`, 'utf8'))?.[1] ?? 0) /
    1024;
  const exited = once(serve, 'exit');
  serve.kill('SIGTERM');
  await exited;
  const stopped = events.find((e) => e.event === 'stopped') ?? {};
  await new Promise<void>((resolve) => chat.close(() => resolve()));
  await sim.stop();

  latencies.sort((a, b) => a - b);
  const p99 = percentile(latencies, 99);
  const what = `${NOTIFICATIONS} notifications from ${SENDERS} senders at once: ${String(stopped.dryRuns)} dry runs, ${String(stopped.folded)} folded, ${posts} posts, ${refused} not answered 202`;
  return [
    {
      name: `runbook serve under a storm (${what}): time to answer`,
      value: `median ${median(latencies).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(latencies.at(-1) ?? 0).toFixed(0)} ms; ${Math.round(NOTIFICATIONS / seconds)} notifications/s`,
      ratio: (latencies.at(-1) ?? 0) / 1000,
      goal: 'every answer ≤ 1 s while dry runs run (Alertmanager never waits on one)',
      met: (latencies.at(-1) ?? 0) <= 1000 && refused === 0,
    },
    {
      name: 'runbook serve: peak memory (VmHWM) through that storm',
      value: `${peakRssMb.toFixed(0)} MB`,
      ratio: peakRssMb / 256,
      goal: "≤ 256 MB (half the Deployment's limit)",
      met: peakRssMb <= 256,
    },
  ];
}
