// What an action will do, in the words an operator checks before saying yes: before → after,
// whether it destroys something, the name to type for it, and the command they would have typed.
import type { Action } from './actions.js';

export interface ActionDescription {
  readonly title: string;
  readonly before: string;
  readonly after: string;
  readonly destructive: boolean;
  /** For destructive actions: the name the operator types to confirm. */
  readonly confirmName: string | undefined;
  /** The kubectl command or Linode API call a person would have typed. */
  readonly equivalent: string;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Shell-quotes one word for a command shown to the operator (never run through a shell). */
const quote = (word: string): string =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;

export function describeAction(action: Action): ActionDescription {
  switch (action.kind) {
    case 'k8s.lease':
      return {
        title: `${action.op} the cluster lock ${action.namespace}/${action.name} for ${action.holder.identity}`,
        before: action.op === 'acquire' ? 'no live holder' : `held by ${action.holder.identity}`,
        after:
          action.op === 'release'
            ? 'free'
            : `held by ${action.holder.identity} for ${action.durationSeconds}s`,
        destructive: false,
        confirmName: undefined,
        equivalent: `kubectl -n ${action.namespace} ${action.op === 'release' ? 'delete' : 'apply -f'} lease/${action.name}`,
      };
    case 'k8s.scale': {
      const { namespace, kind, name } = action.target;
      return {
        title: `scale ${kind.toLowerCase()} ${namespace}/${name} from ${action.from} to ${action.to}`,
        before: `${plural(action.from, 'replica')}`,
        after: `${plural(action.to, 'replica')}`,
        destructive: false,
        confirmName: undefined,
        equivalent: `kubectl -n ${namespace} scale ${kind.toLowerCase()}/${name} --replicas=${action.to}`,
      };
    }
    case 'k8s.delete-deployment':
      return {
        title: `delete deployment ${action.namespace}/${action.name}`,
        before: `deployment with ${plural(action.replicas, 'replica')}`,
        after: 'no deployment (its pods are deleted with it)',
        destructive: true,
        confirmName: action.name,
        equivalent: `kubectl -n ${action.namespace} delete deployment/${action.name}`,
      };
    case 'k8s.force-delete-pod':
      return {
        title: `force-delete pod ${action.namespace}/${action.name}`,
        before: `pod stuck terminating${action.node === undefined ? '' : ` on ${action.node}`}`,
        after: 'pod removed from the API without waiting for its kubelet',
        destructive: true,
        confirmName: action.name,
        equivalent: `kubectl -n ${action.namespace} delete pod/${action.name} --force --grace-period=0`,
      };
    case 'k8s.apply': {
      const ns = action.manifest.metadata.namespace ?? 'default';
      const name = `${action.manifest.kind.toLowerCase()}/${action.manifest.metadata.name}`;
      return {
        title: `apply ${name} in ${ns} from ${action.source}`,
        before: 'absent or different',
        after: `as in ${action.source}`,
        destructive: false,
        confirmName: undefined,
        equivalent: `kubectl -n ${ns} apply --server-side -f ${action.source}`,
      };
    }
    case 'linode.volume.detach':
      return {
        title: `detach Linode volume ${action.volumeLabel} (${action.volumeId}) from ${action.linodeLabel}`,
        before: `attached to Linode ${action.linodeLabel} (${action.linodeId})`,
        after: 'detached',
        destructive: true,
        confirmName: action.volumeLabel,
        equivalent: `POST /v4/volumes/${action.volumeId}/detach  (linode-cli volumes detach ${action.volumeId})`,
      };
    case 'linode.volume.attach':
      return {
        title: `attach Linode volume ${action.volumeLabel} (${action.volumeId}) to ${action.linodeLabel}`,
        before: 'detached',
        after: `attached to Linode ${action.linodeLabel} (${action.linodeId})`,
        destructive: false,
        confirmName: undefined,
        equivalent: `POST /v4/volumes/${action.volumeId}/attach {"linode_id":${action.linodeId},"persist_across_boots":false}`,
      };
    case 'postgres.terminate': {
      const pids = action.backends.map((b) => b.pid);
      return {
        title: `terminate ${plural(pids.length, 'connection')} on ${action.server}: ${action.selection}`,
        before: `${plural(pids.length, 'backend')} open (pids ${pids.join(', ')})`,
        after: 'those backends closed; their clients must reconnect',
        destructive: true,
        confirmName: action.confirmName,
        equivalent: `psql -c 'select pg_terminate_backend(pid) from pg_stat_activity where pid in (${pids.join(', ')})'`,
      };
    }
    case 'postgres.backup': {
      const { databases, directory, stamp, verify } = action.request;
      return {
        title: `back up ${databases.join(', ')} from ${action.server} to ${directory}`,
        before: 'no backup of this moment',
        after: `${databases.map((d) => `${d}-${stamp}.dump`).join(', ')} with .sha256 beside each, verified by ${verify === 'list' ? 'pg_restore --list' : 'a restore into a scratch database'}`,
        destructive: false,
        confirmName: undefined,
        equivalent: databases
          .map(
            (d) => `pg_dump --format=custom --file=${quote(`${directory}/${d}-${stamp}.dump`)} ${quote(d)}`,
          )
          .join(' && '),
      };
    }
  }
}

/** Whether an action changes the cluster or Linode (every action does; reads are not actions). */
export const isDestructive = (action: Action): boolean => describeAction(action).destructive;
