// Where a training's kubeconfig and team repository go: never the current directory uninvited, where
// `git add .` or `npm pack` would carry a kubeconfig and a Secret's JSON. Vetted before the cluster
// starts; written once it listens, so a cluster that cannot start leaves nothing behind.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RunbookError, invalidParameter } from '../engine/errors.js';
import { writePrivate } from '../engine/private-file.js';
import { gitExposure } from './git-exposure.js';

/** Per-training folders under the state directory kept after a new training starts (older ones go). */
export const KEPT_TRAININGS = 5;

export interface TrainingFiles {
  /** The folder holding this training's files. */
  readonly folder: string;
  readonly kubeconfig: string;
  readonly teamRepo: string;
  /** Whether `folder` is a per-training folder of the state directory (pruned later) or the trainee's. */
  readonly own: boolean;
}

export interface TrainingFilesRequest {
  readonly stateDir: string;
  readonly cwd: string;
  readonly scenario: string;
  readonly now: Date;
  readonly workdir?: string | undefined;
  readonly kubeconfig?: string | undefined;
  /** What the team repository will hold, as paths under a given folder (none: no repository). */
  readonly teamRepoPaths: (dir: string) => readonly string[];
}

const FOLDER = /^.+-(\d{8}T\d{6}Z)-[A-Za-z0-9]{6}$/;

const trainingsDir = (stateDir: string): string => join(stateDir, 'training');

const errno = (error: unknown): string => (error as NodeJS.ErrnoException).code ?? String(error);

function probeWritable(dir: string): void {
  if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  const probe = join(dir, `.runbook-write-test-${process.pid}`);
  writeFileSync(probe, 'x');
  rmSync(probe, { force: true });
}

/**
 * Refuses, writing nothing, a --workdir where `git add .` would pick up the files: asked before the
 * cluster starts, so the trainee hears it at once (prepareTrainingFiles asks again).
 */
export function refuseExposedWorkdir(request: TrainingFilesRequest): void {
  if (request.workdir === undefined) return;
  const folder = resolve(request.cwd, request.workdir);
  const exposure = gitExposure(folder, [
    join(folder, 'kubeconfig'),
    ...request.teamRepoPaths(join(folder, 'team-repo')),
  ]);
  if (exposure.exposed) {
    throw invalidParameter(
      `--workdir ${request.workdir} is inside the git work tree ${exposure.workTree} and ${exposure.why}: give a folder outside it, or one its .gitignore names.`,
    );
  }
}

function trainerFolder(request: TrainingFilesRequest, workdir: string): string {
  const folder = resolve(request.cwd, workdir);
  refuseExposedWorkdir(request);
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    probeWritable(folder);
  } catch (error) {
    throw invalidParameter(
      `--workdir ${workdir} is not a directory this user can write to (${errno(error)}): give one that is, or a path to create.`,
    );
  }
  return folder;
}

/** Newest first, only the folders training made (by their name); anything else there is left alone. */
function pruneTrainings(stateDir: string, keep: number, current: string): void {
  const dir = trainingsDir(stateDir);
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // housekeeping only: a folder that cannot be listed is pruned next time
  }
  const folders = entries
    .filter((entry) => entry.isDirectory() && FOLDER.test(entry.name))
    .map((entry) => ({ name: entry.name, stamp: FOLDER.exec(entry.name)?.[1] ?? '' }))
    .sort((a, b) => (a.stamp === b.stamp ? b.name.localeCompare(a.name) : b.stamp.localeCompare(a.stamp)));
  for (const old of folders.slice(keep).filter((f) => join(dir, f.name) !== current))
    rmSync(join(dir, old.name), { recursive: true, force: true });
}

function stateFolder(request: TrainingFilesRequest): string {
  const dir = trainingsDir(request.stateDir);
  const stamp = request.now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    return mkdtempSync(join(dir, `${request.scenario}-${stamp}-`));
  } catch (error) {
    throw new RunbookError(
      'journal-failed',
      `Cannot keep this training's files in ${dir} (${errno(error)}): nothing was started.`,
      {
        next: 'Make it writable, point RUNBOOK_STATE_DIR at a directory that is, or give --workdir <dir>.',
      },
    );
  }
}

/** Makes the folder (and proves the kubeconfig can be written) or says in one sentence why not. */
export function prepareTrainingFiles(request: TrainingFilesRequest): TrainingFiles {
  const { workdir, kubeconfig: kubeconfigFlag } = request;
  const fresh = workdir === undefined || !existsSync(resolve(request.cwd, workdir));
  const folder = workdir === undefined ? stateFolder(request) : trainerFolder(request, workdir);
  const kubeconfig =
    kubeconfigFlag === undefined ? join(folder, 'kubeconfig') : resolve(request.cwd, kubeconfigFlag);
  try {
    writePrivate(kubeconfig, '');
  } catch (error) {
    // A refusal changes nothing: the folder made a moment ago goes again.
    if (fresh) rmSync(folder, { recursive: true, force: true });
    throw invalidParameter(
      `--kubeconfig ${kubeconfigFlag ?? kubeconfig}: cannot write there (${errno(error)}): give a path in a directory this user can write to.`,
    );
  }
  if (workdir === undefined) pruneTrainings(request.stateDir, KEPT_TRAININGS, folder);
  return { folder, kubeconfig, teamRepo: join(folder, 'team-repo'), own: workdir === undefined };
}
