// Generated bad input for every flag and parameter of every command, run in-process so hundreds of
// cases stay fast: each must end with a documented exit code (never 70), one sentence on stderr and
// no stack trace, print no control character it was given, and send the cluster nothing that changes it.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { RUNBOOKS } from '../../runbooks/index.js';
import { main } from '../../src/cli/main.js';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { flagFor } from '../../src/engine/params.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const DOCUMENTED = new Set(Object.values(EXIT_CODES).filter((code) => code !== EXIT_CODES.internal));
const RUNS = Number(process.env.RUNBOOK_PROPERTY_RUNS ?? 20);

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function runInProcess(argv: readonly string[], env: Record<string, string>): Promise<Outcome> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const code = await main(argv, { stdout, stderr, stdin, env, cwd: process.cwd() });
  return { code, stdout: out, stderr: err };
}

/** Strings of every kind a hand or a script gets wrong: empty, huge, control bytes, unicode, flags. */
const anyText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '-1',
    '0',
    '1e9',
    '99999999999999999999',
    '0x10',
    '../../etc/passwd',
    '--yes',
    'a'.repeat(300),
  ),
  fc.constantFrom('\x1b[2J\x1b]0;pwned\x07', 'name\nsecond line', 'tab\there', '\u202eevil', 'Prod_DB'),
);

// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f\u009b\u202e]/;

function assertOneSentence(argv: readonly string[], outcome: Outcome, expected?: number): void {
  const where = `runbook ${JSON.stringify(argv)} → ${outcome.code}\n${outcome.stderr}`;
  assert.ok(DOCUMENTED.has(outcome.code) && outcome.code !== 0, where);
  if (expected !== undefined) assert.equal(outcome.code, expected, where);
  const lines = outcome.stderr.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^✖ \S/, where);
  assert.ok(lines.length <= 2 && (lines[1] === undefined || lines[1].startsWith('  → ')), where);
  assert.doesNotMatch(outcome.stderr, /\n\s+at \S/, `no stack trace: ${where}`);
  assert.doesNotMatch(outcome.stderr, CONTROL, `no raw control character: ${where}`);
}

describe('generated bad input', () => {
  let h: SimHarness;
  let env: Record<string, string>;
  before(async () => {
    h = await startSimHarness('healthy');
    env = h.env();
  });
  after(async () => {
    assert.deepEqual(h.mutations(), [], 'no bad input ever reached the cluster as a change');
    await h.stop();
  });

  for (const runbook of RUNBOOKS) {
    for (const [name, spec] of Object.entries(runbook.params)) {
      if (spec.kind === 'text') continue; // any text is a valid value
      const flag = flagFor(name);
      it(`${runbook.id} ${flag}: any value it cannot take is exit 3 and one sentence`, async () => {
        const rejected = anyText.filter((value) => {
          try {
            spec.parse(value, flag);
            return false;
          } catch {
            return true;
          }
        });
        await fc.assert(
          fc.asyncProperty(rejected, async (value) => {
            const argv = [runbook.id, '--yes', `${flag}=${value}`];
            assertOneSentence(argv, await runInProcess(argv, env), EXIT_CODES['invalid-parameter']);
          }),
          { numRuns: RUNS },
        );
      });
    }
  }

  const commands: Array<[string, (value: string) => string[], (value: string) => boolean]> = [
    ['history --limit', (v) => ['history', `--limit=${v}`], (v) => !/^[1-9]\d*$/.test(v)],
    ['history --output', (v) => ['history', `--output=${v}`], (v) => !['text', 'json', 'yaml'].includes(v)],
    ['log <run-id>', (v) => ['log', v], (v) => !v.startsWith('-')],
    ['log --format', (v) => ['log', '20260101-000000-x-abcd', `--format=${v}`], () => true],
    ['resume <run-id>', (v) => ['resume', v, '--yes'], (v) => !v.startsWith('-')],
    ['show <runbook>', (v) => ['show', v], (v) => !v.startsWith('-') && !RUNBOOKS.some((r) => r.id === v)],
    [
      'sim start --port',
      (v) => ['sim', 'start', `--port=${v}`],
      (v) => !/^\d{1,5}$/.test(v) || Number(v) > 65535,
    ],
    [
      'sim start --speed',
      (v) => ['sim', 'start', `--speed=${v}`],
      (v) => !(Number(v) > 0) && v !== 'instant',
    ],
    [
      'sim start --scenario',
      (v) => ['sim', 'start', `--scenario=${v}`],
      (v) => !/^(healthy|20\d\d-)/.test(v),
    ],
    [
      'a run with --sim <scenario>',
      (v) => ['postgres-remount', '--yes', `--sim=${v}`],
      (v) => !/^(healthy|20\d\d-)/.test(v),
    ],
    [
      'a run with --speed',
      (v) => ['postgres-remount', '--yes', '--sim', `--speed=${v}`],
      (v) => !(Number(v) > 0) && v !== 'instant',
    ],
    [
      'a run with --kubeconfig',
      (v) => ['node-uncordon', '--yes', '--node', 'n1', `--kubeconfig=/nonexistent/${v}`],
      () => true,
    ],
    ['train <scenario>', (v) => ['train', v], (v) => !v.startsWith('-') && !/^(healthy|20\d\d-)/.test(v)],
  ];
  for (const [what, argvOf, isBad] of commands) {
    it(`${what}: bad values end with a documented code and one sentence`, async () => {
      await fc.assert(
        fc.asyncProperty(anyText.filter(isBad), async (value) => {
          const argv = argvOf(value);
          assertOneSentence(argv, await runInProcess(argv, env));
        }),
        { numRuns: RUNS },
      );
    });
  }
});
