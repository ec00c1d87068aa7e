// Drives `runbook train` as a trainee would: a separate process, its briefing read, its exports used.
import assert from 'node:assert/strict';
import { type ResultPromise, execa } from 'execa';
import { BIN, ROOT, cleanEnv } from './cli.js';

export type Trainer = ResultPromise<{
  env: Record<string, string>;
  extendEnv: false;
  cwd: string;
  reject: false;
  stdin: 'ignore';
}>;

/** Starts `runbook train <scenario> --speed instant …` and waits for its briefing. */
export async function startTraining(
  scenario: string,
  args: readonly string[],
  where: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ trainer: Trainer; briefing: string }> {
  const trainer = execa(process.execPath, [BIN, 'train', scenario, '--speed', 'instant', ...args], {
    env: where.env ?? cleanEnv(),
    extendEnv: false,
    cwd: where.cwd ?? ROOT,
    reject: false,
    stdin: 'ignore',
  });
  const stdout = trainer.stdout;
  assert.ok(stdout !== null);
  const briefing = await new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no briefing: ${text}`)), 30_000);
    stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('Training ends when')) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });
  return { trainer, briefing };
}

export const exportsOf = (text: string): Record<string, string> =>
  Object.fromEntries([...text.matchAll(/export (\w+)=(\S+)/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
