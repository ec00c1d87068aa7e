// Training leaves nothing behind in the current directory: its kubeconfig and the team repository
// (with a Secret's JSON) go under the state directory or the trainee's --workdir, owner-only, and a
// --workdir where `git add .` would pick them up is refused before any cluster starts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { BIN, cleanEnv } from '../helpers/cli.js';
import { exportsOf, startTraining } from '../helpers/train.js';

const SCENARIO = '2020-12-11-all-services-outage';
const SECRET = join('default', 'secret-bot-sentry.json');

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

function gitRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-train-cwd-'));
  const git = spawnSync('git', ['init', '-q', dir], { encoding: 'utf8' });
  assert.equal(git.status, 0, git.stderr);
  return dir;
}

const gitStatus = (dir: string): string =>
  spawnSync('git', ['-C', dir, 'status', '--porcelain', '--untracked-files=all'], { encoding: 'utf8' })
    .stdout;

/** Gives up at once (Ctrl-C), as a trainee may; returns what the whole training printed. */
async function trainAndGiveUp(args: readonly string[], cwd: string, stateDir: string): Promise<string> {
  const { trainer, briefing } = await startTraining(SCENARIO, args, {
    cwd,
    env: cleanEnv({ RUNBOOK_STATE_DIR: stateDir }),
  });
  trainer.kill('SIGINT');
  const done = await trainer;
  assert.equal(done.exitCode, 0, done.stderr);
  assert.match(done.stdout, /✖ You gave up\./);
  assert.ok(done.stdout.startsWith(briefing));
  return done.stdout;
}

describe('runbook train leaves nothing behind in the current directory', () => {
  it('puts the kubeconfig and the team repository in a per-training folder of the state directory', async () => {
    const cwd = gitRepo();
    const stateDir = mkdtempSync(join(tmpdir(), 'runbook-train-state-'));
    const stdout = await trainAndGiveUp([], cwd, stateDir);

    assert.deepEqual(readdirSync(cwd), ['.git'], 'the current directory holds what it held');
    assert.equal(gitStatus(cwd), '', '`git add .` has nothing to pick up');

    const kubeconfig = exportsOf(stdout).KUBECONFIG ?? '';
    const folder = dirname(kubeconfig);
    assert.equal(dirname(folder), join(stateDir, 'training'));
    assert.match(folder, new RegExp(`/${SCENARIO}-\\d{8}T\\d{6}Z-\\w{6}$`));
    assert.match(readFileSync(kubeconfig, 'utf8'), /current-context:/);
    const repo = join(folder, 'team-repo');
    assert.match(stdout, new RegExp(`^The team's kubernetes repository is checked out in ${repo}$`, 'm'));
    assert.match(stdout, new RegExp(`^This training's files are in ${folder} \\(the last 5 trainings`, 'm'));
    assert.deepEqual([folder, kubeconfig, repo, join(repo, 'default'), join(repo, SECRET)].map(mode), [
      '700',
      '600',
      '700',
      '700',
      '600',
    ]);
    assert.equal(mode(join(stateDir, 'training')), '700');
  });

  it('keeps only the last 5 per-training folders, and nothing it did not make', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'runbook-train-state-'));
    const trainings = join(stateDir, 'training');
    mkdirSync(trainings, { recursive: true });
    const old = (stamp: string): string => join(trainings, `${SCENARIO}-${stamp}-abcdef`);
    for (const stamp of [
      '20200101T000000Z',
      '20200102T000000Z',
      '20200103T000000Z',
      '20200104T000000Z',
      '20200105T000000Z',
    ])
      mkdirSync(old(stamp));
    mkdirSync(join(trainings, 'my-notes'));
    await trainAndGiveUp([], mkdtempSync(join(tmpdir(), 'runbook-train-cwd-')), stateDir);
    const left = readdirSync(trainings).sort();
    assert.equal(left.length, 6, left.join(' '));
    assert.ok(!existsSync(old('20200101T000000Z')), 'the oldest went');
    assert.ok(existsSync(old('20200102T000000Z')));
    assert.ok(left.includes('my-notes'), 'a folder training did not make stays');
  });

  it('--workdir <dir> takes the files instead, also in a git work tree that ignores it', async () => {
    const cwd = gitRepo();
    writeFileSync(join(cwd, '.gitignore'), 'training/\n');
    const stateDir = mkdtempSync(join(tmpdir(), 'runbook-train-state-'));
    const stdout = await trainAndGiveUp(['--workdir', 'training/night'], cwd, stateDir);

    const folder = join(cwd, 'training', 'night');
    assert.equal(exportsOf(stdout).KUBECONFIG, join(folder, 'kubeconfig'));
    assert.match(stdout, new RegExp(`^This training's files are in ${folder}; they stay there`, 'm'));
    assert.deepEqual(
      [folder, join(folder, 'kubeconfig'), join(folder, 'team-repo'), join(folder, 'team-repo', SECRET)].map(
        mode,
      ),
      ['700', '600', '700', '600'],
    );
    assert.equal(gitStatus(cwd), '?? .gitignore\n', 'git ignores all of it');
    assert.ok(!existsSync(join(stateDir, 'training')), 'nothing went to the state directory');
  });

  it('refuses a --workdir that git would pick up, or that is not a folder, before any cluster starts', async () => {
    const cwd = gitRepo();
    const env = cleanEnv({ RUNBOOK_STATE_DIR: mkdtempSync(join(tmpdir(), 'runbook-train-state-')) });
    const refusals: Array<[string, RegExp]> = [
      [
        'night',
        new RegExp(
          `^✖ --workdir night is inside the git work tree ${cwd} and \`git add \\.\` would pick up the kubeconfig and team repository training writes: give a folder outside it, or one its \\.gitignore names\\.$`,
        ),
      ],
      [
        '/dev/null/x',
        /^✖ --workdir \/dev\/null\/x is not a directory this user can write to \(ENOTDIR\): give one that is, or a path to create\.$/,
      ],
    ];
    for (const [workdir, message] of refusals) {
      const result = await execa(
        process.execPath,
        [BIN, 'train', SCENARIO, '--speed', 'instant', '--workdir', workdir],
        {
          env,
          extendEnv: false,
          cwd,
          reject: false,
          stdin: 'ignore',
          timeout: 20_000,
        },
      );
      assert.equal(result.exitCode, 3, result.stderr);
      assert.match(result.stderr.trim(), message);
      assert.equal(result.stdout, '', 'no briefing: no cluster was started');
    }
    assert.deepEqual(readdirSync(cwd), ['.git'], 'nothing was made in the work tree');
  });

  it('a training whose cluster cannot listen keeps no folder of its own', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const address = busy.address();
    assert.ok(address !== null && typeof address === 'object');
    const stateDir = mkdtempSync(join(tmpdir(), 'runbook-train-state-'));
    try {
      const result = await execa(process.execPath, [BIN, 'train', SCENARIO, '--port', String(address.port)], {
        env: cleanEnv({ RUNBOOK_STATE_DIR: stateDir }),
        extendEnv: false,
        cwd: mkdtempSync(join(tmpdir(), 'runbook-train-cwd-')),
        reject: false,
        stdin: 'ignore',
        timeout: 20_000,
      });
      assert.equal(result.exitCode, 2, result.stderr);
      assert.match(result.stderr, /could not listen on 127\.0\.0\.1:\d+/);
      assert.ok(!existsSync(join(stateDir, 'training')), 'the cluster starts before any file is written');
    } finally {
      busy.close();
    }
  });
});
