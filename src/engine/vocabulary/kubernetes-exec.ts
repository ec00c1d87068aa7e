// A command run in a pod's container through the Kubernetes exec API, defined once: an argument
// array (never a shell line built from input), its exit code checked, its output bounded in bytes
// and its time bounded. Nothing can rehearse a command without running it: a dry run checks that the
// pod and the container exist.
import { RunbookError } from '../errors.js';
import type { ExecResult } from '../ports.js';
import { type ActionDefinitions, quote } from './define.js';
import { kube } from '../permissions/permission.js';

export interface ExecAction {
  readonly kind: 'k8s.exec';
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  /** The program and its arguments, passed as they are: no shell reads them. */
  readonly command: readonly string[];
  /** What it is for, as the operator reads it: `check that Postgres accepts connections`. */
  readonly purpose: string;
  /** Of stdout and of stderr each, the last bytes kept; default 64 KiB. */
  readonly maxOutputBytes: number;
  /** After this long the command is abandoned and the action fails; default 60 s. */
  readonly timeoutMs: number;
}

export type KubernetesExecAction = ExecAction;

export const execInPod = (fields: {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  readonly command: readonly string[];
  readonly purpose: string;
  readonly maxOutputBytes?: number;
  readonly timeoutMs?: number;
}): ExecAction => ({
  kind: 'k8s.exec',
  namespace: fields.namespace,
  pod: fields.pod,
  container: fields.container,
  command: fields.command,
  purpose: fields.purpose,
  maxOutputBytes: fields.maxOutputBytes ?? 64 * 1024,
  timeoutMs: fields.timeoutMs ?? 60_000,
});

/** The command as a person would type it, each word quoted where a shell would need it. */
export const commandLine = (command: readonly string[]): string => command.map(quote).join(' ');

/** The last few lines of a command's stderr, each cut short: enough to say why, not a dump. */
export function lastLines(text: string, count = 5): string {
  return text
    .trimEnd()
    .split('\n')
    .slice(-count)
    .map((line) => (line.length > 300 ? `${line.slice(0, 300)}…` : line))
    .join('\n');
}

function failure(action: ExecAction, result: ExecResult): RunbookError {
  const where = `in pod ${action.namespace}/${action.pod} (container ${action.container})`;
  const ran = `\`${commandLine(action.command)}\` ${where}`;
  const tail = lastLines(result.stderr);
  const said = tail === '' ? '' : `; last lines of stderr:\n${tail}`;
  if (result.timedOut === true)
    return new RunbookError(
      'step-failed',
      `${ran} did not finish within ${Math.round(action.timeoutMs / 1000)}s${said}`,
    );
  return new RunbookError('step-failed', `${ran} exited with code ${result.exitCode ?? 'unknown'}${said}`, {
    next: 'Nothing after this command ran. Look at what it says above.',
  });
}

export const kubernetesExecActions = {
  'k8s.exec': {
    permissions: [...kube('get', '', 'pods'), ...kube('create,get', '', 'pods/exec')],
    describe: (a) => ({
      title: `${a.purpose}: run ${a.command[0] ?? ''} in pod ${a.namespace}/${a.pod}`,
      before: `${commandLine(a.command)} not yet run`,
      after: `it ran to exit code 0 (output kept to ${Math.round(a.maxOutputBytes / 1024)} KiB, at most ${Math.round(a.timeoutMs / 1000)}s)`,
      destructive: false,
      confirmName: undefined,
      equivalent: `kubectl -n ${a.namespace} exec ${a.pod} -c ${a.container} -- ${commandLine(a.command)}`,
    }),
    preview: {
      mode: 'not-previewable',
      checked:
        'no command can be rehearsed without running it; checked instead: the pod and its container exist. Nothing was run',
    },
    async perform(action, writers, options) {
      const result = await writers.kube.exec(action, options);
      if (options.dryRun === true || result.exitCode === 0) return;
      throw failure(action, result);
    },
  },
} satisfies ActionDefinitions<KubernetesExecAction>;
