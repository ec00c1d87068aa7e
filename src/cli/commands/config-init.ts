// `runbook config init`: a commented runbook.config.yaml in the working directory, started from what
// the cluster shows. It never overwrites a team's file unless told (--force), and the file it writes
// is loaded back before it says it is done.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRunbook } from '../../../runbooks/index.js';
import { RunbookError, invalidParameter } from '../../engine/errors.js';
import { type ClusterSurvey, surveyCluster } from '../../config/cluster-survey.js';
import { effectiveSettings } from '../../config/effective-settings.js';
import { loadConfigFile } from '../../config/load.js';
import { CONFIG_FILE_NAME } from '../../config/schema.js';
import { starterFile } from '../../config/starter-file.js';
import { connectKube } from '../../providers/kubernetes/connect.js';
import { type EmbeddedSimulator, startEmbeddedSimulator } from '../embedded-sim.js';
import { toRunbookError } from '../errors.js';
import { type Io, println } from '../io.js';

export interface ConfigInitFlags {
  readonly force?: boolean;
  readonly sim?: string | boolean;
  readonly kubeconfig?: string;
  readonly context?: string;
}

async function survey(
  flags: ConfigInitFlags,
  io: Io,
): Promise<{ survey: ClusterSurvey } | { unreadable: string }> {
  let sim: EmbeddedSimulator | undefined;
  try {
    const remount = findRunbook('postgres-remount');
    if (flags.sim !== undefined && remount !== undefined)
      sim = await startEmbeddedSimulator(remount, { sim: flags.sim, speed: 'instant' }, io);
    const kube = await connectKube({
      kubeconfig: sim?.kubeconfig ?? flags.kubeconfig,
      context: sim === undefined ? flags.context : undefined,
      env: sim?.env ?? io.env,
    });
    return { survey: await surveyCluster(kube) };
  } catch (error) {
    const failure = toRunbookError(error);
    // A scenario that does not exist is a typo to fix, not a cluster to do without.
    if (sim === undefined && flags.sim !== undefined && failure.code === 'usage') throw failure;
    return { unreadable: failure.message.replace(/\.$/, '') };
  } finally {
    await sim?.stop();
  }
}

export async function configInitCommand(flags: ConfigInitFlags, io: Io): Promise<number> {
  const path = join(io.cwd, CONFIG_FILE_NAME);
  if (existsSync(path) && flags.force !== true) {
    throw invalidParameter(
      `${CONFIG_FILE_NAME} already exists in ${io.cwd}: edit it, or pass --force to replace it with a new one.`,
    );
  }
  const lockNamespace = effectiveSettings(io.env, undefined).lockNamespace.value;
  const found = await survey(flags, io);
  writeFileSync(path, starterFile(found, lockNamespace, new Date()));
  try {
    await loadConfigFile(path, io.cwd);
  } catch (error) {
    throw new RunbookError('internal', `The ${CONFIG_FILE_NAME} just written does not load back.`, {
      cause: error,
    });
  }
  if ('unreadable' in found) {
    println(io.stdout, `Could not read the cluster (${found.unreadable}).`);
    println(
      io.stdout,
      `Wrote ${path} with the built-in defaults, commented out: edit it, then check it with \`runbook config\`.`,
    );
  } else {
    const postgres = found.survey.postgres.find((w) => w.kind === 'Deployment');
    println(
      io.stdout,
      `Read ${found.survey.context} at ${found.survey.server}: ${
        postgres === undefined
          ? 'no Postgres Deployment found'
          : `Postgres is Deployment ${postgres.namespace}/${postgres.name}`
      }.`,
    );
    println(
      io.stdout,
      `Wrote ${path}: check it with \`runbook config\`, then commit it to the team's repository.`,
    );
  }
  return 0;
}
