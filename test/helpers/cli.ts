// Runs the built CLI as a user would: a separate process, no terminal unless a test gives it one.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'dist', 'bin', 'runbook.js');

/** Journals of the runs a test process starts, kept apart from the developer's own. */
export const TEST_STATE_DIR = mkdtempSync(join(tmpdir(), 'runbook-state-'));

export interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment a test run gets: no ambient kubeconfig, Linode token or .env from the developer. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const keep = ['PATH', 'HOME', 'LANG', 'TERM', 'SYSTEMROOT'];
  const env: Record<string, string> = {};
  for (const key of keep) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return {
    ...env,
    KUBECONFIG: '/nonexistent/kubeconfig',
    RUNBOOK_ENV_FILE: '/nonexistent/.env',
    RUNBOOK_STATE_DIR: TEST_STATE_DIR,
    ...extra,
  };
}

export async function runCli(
  args: readonly string[],
  options: { env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {},
): Promise<CliResult> {
  const result = await execa(process.execPath, [BIN, ...args], {
    env: options.env ?? cleanEnv(),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 120_000,
    cwd: options.cwd ?? ROOT,
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/**
 * What `runbook sim start` printed up to its "Ctrl-C stops it." line: the signal that the simulator
 * listens. Rejects as soon as the process closes its output, or after `timeoutMs`, with what it printed.
 */
export function simStartPrinted(stdout: NodeJS.ReadableStream | null, timeoutMs = 30_000): Promise<string> {
  if (stdout === null) return Promise.reject(new Error('sim start was given no stdout pipe'));
  return new Promise<string>((resolve, reject) => {
    let text = '';
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      stdout.off('data', onData);
      stdout.off('end', onEnd);
      if (error === undefined) resolve(text);
      else reject(error);
    };
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      if (text.includes('Ctrl-C stops it.')) finish();
    };
    const onEnd = (): void => finish(new Error(`sim start ended after printing only: ${text}`));
    const timer = setTimeout(
      () => finish(new Error(`sim start printed only, in ${String(timeoutMs)} ms: ${text}`)),
      timeoutMs,
    );
    stdout.on('data', onData);
    stdout.on('end', onEnd);
  });
}
