// Runs the built CLI in a folder of the test's choosing, as an operator in their team's repository
// would: the configuration file is found from the working directory.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { BIN, type CliResult, cleanEnv } from '../helpers/cli.js';

export async function runIn(
  cwd: string,
  args: readonly string[],
  env: Record<string, string> = cleanEnv(),
): Promise<CliResult> {
  const result = await execa(process.execPath, [BIN, ...args], {
    env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 120_000,
    cwd,
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh folder holding runbook.config.yaml with `text` (and nothing else). */
export function teamRepository(text: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-team-'));
  writeFileSync(join(dir, 'runbook.config.yaml'), text);
  return dir;
}

export interface EffectiveJson {
  readonly file: { readonly path: string; readonly how: string } | null;
  readonly settings: Record<string, { value: string; source: Record<string, unknown> }>;
  readonly runbooks: Record<string, Record<string, { value: string; source: Record<string, unknown> }>>;
  readonly alerts: ReadonlyArray<Record<string, unknown>>;
}
