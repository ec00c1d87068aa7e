// What an action will do, in the words an operator checks before saying yes: before → after,
// whether it destroys something, the name to type for it, and the command they would have typed.
import type { Action } from './actions.js';
import type { ContainerResources, ResourceAmounts } from './workload-ports.js';

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
    case 'k8s.rollout-restart': {
      const { namespace, kind, name } = action.target;
      return {
        title: `restart ${kind.toLowerCase()} ${namespace}/${name} (${action.reason})`,
        before: `pods as they are: ${action.reason}`,
        after: `every pod replaced, rolling (restartedAt ${action.restartedAt})`,
        destructive: false,
        confirmName: undefined,
        equivalent: `kubectl -n ${namespace} rollout restart ${kind.toLowerCase()}/${name}`,
      };
    }
    case 'k8s.set-resources': {
      const { namespace, kind, name } = action.target;
      return {
        title: `set requests and limits of ${kind.toLowerCase()} ${namespace}/${name} container ${action.container} from ${action.source}`,
        before: resourcesText(action.before),
        after: `${resourcesText(action.after)} (its pods roll to take them)`,
        destructive: false,
        confirmName: undefined,
        equivalent: `kubectl -n ${namespace} set resources ${kind.toLowerCase()}/${name} -c ${action.container}${resourceFlags(action.after)}`,
      };
    }
    case 'k8s.cordon':
      return {
        title: `cordon node ${action.node}`,
        before: 'schedulable',
        after: 'unschedulable: no new pod lands on it (pods already there keep running)',
        destructive: false,
        confirmName: undefined,
        equivalent: `kubectl cordon ${action.node}`,
      };
    case 'k8s.uncordon':
      return {
        title: `uncordon node ${action.node}`,
        before: 'unschedulable (cordoned)',
        after: 'schedulable: new pods may land on it',
        destructive: false,
        confirmName: undefined,
        equivalent: `kubectl uncordon ${action.node}`,
      };
    case 'k8s.evict': {
      const shown = action.pods.slice(0, 8).map((p) => `${p.namespace}/${p.name} (${p.owner})`);
      const more = action.pods.length > 8 ? `, and ${action.pods.length - 8} more` : '';
      return {
        title: `evict ${plural(action.pods.length, 'pod')} from node ${action.node}, at most ${action.concurrency} at a time, PodDisruptionBudgets respected`,
        before: `on ${action.node}: ${shown.join(', ')}${more}`,
        after: 'gone from the node; their controllers start replacements on other nodes',
        destructive: false,
        confirmName: undefined,
        equivalent: `kubectl drain ${action.node} --ignore-daemonsets  (POST …/pods/{name}/eviction for each)`,
      };
    }
    case 'linode.lke.recycle-node':
      return {
        title: `recycle LKE node ${action.node} (${action.nodeId}) of cluster ${action.clusterId}`,
        before: `backed by Linode ${action.linodeId}`,
        after:
          'Linode deleted (local disks erased, volumes detached) and replaced by a new one, which registers again',
        destructive: true,
        confirmName: action.node,
        equivalent: `POST /v4/lke/clusters/${action.clusterId}/nodes/${action.nodeId}/recycle  (linode-cli lke node-recycle ${action.clusterId} ${action.nodeId})`,
      };
    case 'linode.reboot':
      return {
        title: `reboot Linode ${action.linodeLabel} (${action.linodeId}) behind node ${action.node}`,
        before: 'running, its kubelet not answering',
        after: 'restarted with its disks; everything on it is killed and starts again',
        destructive: true,
        confirmName: action.node,
        equivalent: `POST /v4/linode/instances/${action.linodeId}/reboot  (linode-cli linodes reboot ${action.linodeId})`,
      };
  }
}

function resourcesText(r: ContainerResources): string {
  const part = (what: string, a: ResourceAmounts | undefined): string =>
    `${what} cpu ${a?.cpu ?? 'none'}, memory ${a?.memory ?? 'none'}`;
  return `${part('requests', r.requests)}; ${part('limits', r.limits)}`;
}

function resourceFlags(r: ContainerResources): string {
  const flag = (name: string, a: ResourceAmounts | undefined): string => {
    const items = Object.entries(a ?? {}).map(([k, v]) => `${k}=${String(v)}`);
    return items.length === 0 ? '' : ` --${name}=${items.join(',')}`;
  };
  return `${flag('requests', r.requests)}${flag('limits', r.limits)}`;
}

/** Whether an action changes the cluster or Linode (every action does; reads are not actions). */
export const isDestructive = (action: Action): boolean => describeAction(action).destructive;
