// Runs the real kubectl 1.32 against a simulator URL: whole commands, or started ones whose output
// a test waits on (a line kubectl prints is the signal to change the world, never a sleep).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addNode, deployment, isReady, podsOf, startHarness, type Harness } from './harness.js';

export const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
/** A reason to skip (for describe's `skip`) when this machine has no kubectl 1.32. */
export const kubectlMissing: string | false = existsSync(KUBECTL)
  ? false
  : `${KUBECTL} is not installed on this machine`;

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunningKubectl {
  /** Resolves once stdout or stderr matches; rejects if kubectl exits first or after `timeoutMs`. */
  output(pattern: RegExp, timeoutMs?: number): Promise<string>;
  readonly done: Promise<KubectlResult>;
  readonly process: ChildProcess;
}

export interface Kubectl {
  /** A scratch directory (manifests), removed by close(). */
  readonly dir: string;
  run(...args: string[]): Promise<KubectlResult>;
  start(...args: string[]): RunningKubectl;
  /** Writes a file in `dir` and returns its path. */
  file(name: string, text: string): string;
  close(): void;
}

export function createKubectl(serverUrl: string): Kubectl {
  const dir = mkdtempSync(join(tmpdir(), 'kube-sim-kubectl-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: sim, cluster: {server: "${serverUrl}"}}]`,
      'users: [{name: sim, user: {token: sim-token}}]',
      'contexts: [{name: sim, context: {cluster: sim, user: sim, namespace: default}}]',
      'current-context: sim',
      '',
    ].join('\n'),
  );
  const base = ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache')];
  const children = new Set<ChildProcess>();

  return {
    dir,
    run: (...args) =>
      new Promise((resolve) => {
        execFile(KUBECTL, [...base, ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
          resolve({ code, stdout, stderr });
        });
      }),
    start(...args) {
      const child = spawn(KUBECTL, [...base, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.add(child);
      let stdout = '';
      let stderr = '';
      const listeners = new Set<() => void>();
      const changed = (): void => {
        for (const l of [...listeners]) l();
      };
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString('utf8');
        changed();
      });
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString('utf8');
        changed();
      });
      let exited = false;
      const done = new Promise<KubectlResult>((resolve) => {
        child.on('close', (code) => {
          exited = true;
          children.delete(child);
          resolve({ code: code ?? 1, stdout, stderr });
          changed();
        });
      });
      const output = (pattern: RegExp, timeoutMs = 30_000): Promise<string> =>
        new Promise((resolve, reject) => {
          const check = (): void => {
            const text = stdout + stderr;
            const m = pattern.exec(text);
            if (m !== null) {
              finish();
              resolve(m[0]);
            } else if (exited) {
              finish();
              reject(new Error(`kubectl exited before printing ${pattern}:\n${text}`));
            }
          };
          const timer = setTimeout(() => {
            finish();
            reject(new Error(`kubectl did not print ${pattern} in ${timeoutMs} ms:\n${stdout}${stderr}`));
          }, timeoutMs);
          const finish = (): void => {
            clearTimeout(timer);
            listeners.delete(check);
          };
          listeners.add(check);
          check();
        });
      return { output, done, process: child };
    },
    file(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    close() {
      for (const child of children) child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Where most kubectl tests start: one Ready node, lke1-node-a, and deployment web with its pods Ready. */
export async function startWebCluster(replicas: number): Promise<{ h: Harness; k: Kubectl }> {
  const h = await startHarness();
  const k = createKubectl(h.url);
  addNode(h, 'lke1-node-a', '172.105.1.1');
  h.sim.create(deployment('web', replicas));
  await h.until('web Ready', () => podsOf(h, 'web').filter(isReady).length === replicas);
  return { h, k };
}
