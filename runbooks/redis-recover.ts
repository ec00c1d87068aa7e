// redis-recover: Redis down or out of memory (2021-07-11, 06:36: "Python is offline", Redis being a
// dependency of the bot). Reads Redis' state and why it died, restarts it and waits until Ready, then
// restarts its dependents in order so they reconnect, and verifies. Written only with the authoring
// surface (src/authoring.ts): parameters, the vocabulary's builders and the Readers.
import {
  type Action,
  type ParamsOf,
  type WorkloadRef,
  defineRunbook,
  integer,
  k8sName,
  podsAndWarnings,
  rolloutRestart,
  setResources,
  text,
  workloadReady,
} from '../src/authoring.js';
import { replacePods } from './redis-recover/statefulset.js';
import {
  kindName,
  matching,
  memoryText,
  oomNote,
  podLines,
  readView,
  theRedis,
  unhealthy,
} from './redis-recover/state.js';

const SELECTOR = /^[A-Za-z0-9._/-]+=[A-Za-z0-9._-]*(,[A-Za-z0-9._/-]+=[A-Za-z0-9._-]*)*$/;
const selectorsOf = (list: string): string[] =>
  list
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');

const redisParams = {
  namespace: k8sName({
    description: 'namespace of Redis and its dependents',
    label: true,
    default: 'default',
  }),
  redis: text({
    description: "label selector of Redis' pods",
    pattern: SELECTOR,
    expected: 'a label selector such as app=redis',
    placeholder: '<selector>',
    default: 'app=redis',
  }),
  dependents: text({
    description:
      'label selectors of the workloads that depend on Redis, restarted in this order, separated by ;',
    pattern: new RegExp(
      `^\\s*${SELECTOR.source.slice(1, -1)}(\\s*;\\s*${SELECTOR.source.slice(1, -1)})*\\s*$`,
    ),
    expected: 'label selectors separated by ; such as "app=site;app=bot"',
    placeholder: '<selectors>',
    default: 'app=site;app=bot',
  }),
  memoryLimit: text({
    description:
      "Redis' new memory limit (e.g. 1Gi), set instead of a plain restart; default: the limit is left as it is",
    pattern: /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|k|M|G|T)?$/,
    expected: 'a memory quantity such as 512Mi or 1Gi',
    placeholder: '<quantity>',
  }),
  timeout: integer({
    description: 'seconds to wait for Redis and for each dependent to be Ready',
    default: 300,
    min: 10,
    max: 3600,
  }),
};

export type RedisParams = ParamsOf<typeof redisParams>;

export const redisRecover = defineRunbook({
  id: 'redis-recover',
  title: 'Recover Redis (down or out of memory), then its dependents in order',
  summary:
    'For a Redis that is down or OOM-killed (2021-07-11: the bot offline because Redis was not healthy): read ' +
    'why, restart it, restart what depends on it in order, verify.',
  postmortems: ['2021-07-11-cascading-node-failures'],
  defaultScenario: '2021-07-11-redis-out-of-memory',
  mutating: true,
  params: redisParams,
  needs: { namespaces: (params) => [params.namespace] },
})
  .step({
    id: 'read-state',
    title: "Read Redis' state: pods, restarts, last termination, memory limit against request",
    explain:
      'Finds the workload running Redis (--redis, a label selector) and its dependents (--dependents), and shows ' +
      'each pod, its restarts and last termination (OOMKilled), and Redis memory request and limit. An OOM kill at ' +
      'the limit gets a note: the restart frees the memory, the limit is for resource-limits-audit. Changes nothing.',
    async plan({ params, read }) {
      const views = await read.kube.listWorkloads(params.namespace);
      const redis = theRedis(views, params.namespace, params.redis);
      const pods = await read.kube.listPods(params.namespace, redis.selector);
      const container = redis.containers[0];
      const { lines, oomKilled } = podLines(pods);
      const notes = [
        `${kindName(redis.ref)}: ${unhealthy(redis, pods) ?? 'healthy'}`,
        ...lines,
        `  ${await podsAndWarnings(params.namespace, redis.selector, read)}`,
      ];
      if (container !== undefined)
        notes.push(`  container ${container.name}: ${memoryText(container.resources)}`);
      if (oomKilled && container !== undefined) notes.push(oomNote(container.name, container.resources));
      const dependents: WorkloadRef[] = [];
      for (const selector of selectorsOf(params.dependents)) {
        const found = matching(views, selector);
        if (found.length === 0) notes.push(`dependents ${selector}: no workload matches`);
        for (const view of found) {
          dependents.push(view.ref);
          const state = unhealthy(view, await read.kube.listPods(params.namespace, view.selector));
          notes.push(`dependent ${kindName(view.ref)}: ${state ?? 'healthy'}`);
        }
      }
      return {
        actions: [],
        notes,
        facts: {
          redis: redis.ref,
          container: container?.name ?? 'redis',
          dependents,
          startedAt: new Date().toISOString(),
        },
      };
    },
  })
  .step({
    id: 'restart-redis',
    title: 'Restart Redis and wait until it is Ready',
    explain:
      'Restarts Redis when it is not healthy (an OOM-killed Redis reloads its data from its volume), or rolls it ' +
      'to a new memory limit with --memory-limit. A Deployment is restarted as kubectl rollout restart does. A ' +
      "StatefulSet's pods that are not Ready are deleted (kubectl delete pod) and its controller makes them again " +
      'under the same names: its rolling update waits for a pod that never becomes Ready (OrderedReady), so a ' +
      'rollout restart would not replace a crash-looping Redis. Waits until every Redis pod is Ready. A healthy ' +
      'Redis is left alone.',
    async plan({ params, facts, read }) {
      const ref = facts.redis;
      const startedAt = facts.startedAt;
      const view = await readView(read, ref);
      const wait = workloadReady({ target: ref, timeoutMs: params.timeout * 1000 });
      const container = view.containers.find((c) => c.name === facts.container) ?? view.containers[0];
      if (
        params.memoryLimit !== undefined &&
        container !== undefined &&
        container.resources.limits?.memory !== params.memoryLimit
      ) {
        const before = container.resources;
        const after = { ...before, limits: { ...before.limits, memory: params.memoryLimit } };
        const roll = setResources(ref, container.name, before, after, '--memory-limit');
        const note = `memory limit ${before.limits?.memory ?? 'none'} -> ${params.memoryLimit}: Redis' pods roll to take it`;
        if (ref.kind === 'StatefulSet') {
          const replaced = replacePods(
            view,
            await read.kube.listPods(ref.namespace, view.selector),
            params.timeout,
          );
          return {
            actions: [roll, ...replaced.actions],
            waits: [...replaced.waits, wait],
            facts: { redisRestarted: true },
            notes: [note, ...replaced.notes],
          };
        }
        return { actions: [roll], waits: [wait], facts: { redisRestarted: true }, notes: [note] };
      }
      if (view.restartedAt !== undefined && view.restartedAt >= startedAt)
        return {
          actions: [],
          waits: [wait],
          facts: { redisRestarted: true },
          notes: [`${kindName(ref)} was already restarted by this run (${view.restartedAt})`],
        };
      const pods = await read.kube.listPods(ref.namespace, view.selector);
      const why = unhealthy(view, pods);
      if (why === undefined)
        return {
          actions: [],
          waits: [wait],
          facts: { redisRestarted: false },
          notes: [`${kindName(ref)} is healthy: not restarted`],
        };
      if (ref.kind === 'StatefulSet') {
        const replaced = replacePods(view, pods, params.timeout);
        return { ...replaced, waits: [...replaced.waits, wait], facts: { redisRestarted: true } };
      }
      return {
        actions: [rolloutRestart(ref, startedAt, why)],
        waits: [wait],
        facts: { redisRestarted: true },
      };
    },
  })
  .step({
    id: 'restart-dependents',
    title: 'Restart the services that depend on Redis, in order, and wait until they are Ready',
    explain:
      'Once Redis is Ready, restarts each dependent (--dependents, in the order given: the site, then the bot) ' +
      'so it reconnects: every one when Redis was restarted, otherwise only those not healthy. Waits until each is Ready.',
    async plan({ params, facts, read }) {
      const { startedAt, redisRestarted } = facts;
      const actions: Action[] = [];
      const notes: string[] = [];
      for (const ref of facts.dependents) {
        const view = await readView(read, ref);
        if (view.restartedAt !== undefined && view.restartedAt >= startedAt) {
          notes.push(`${kindName(ref)} was already restarted by this run (${view.restartedAt})`);
          continue;
        }
        const why = unhealthy(view, await read.kube.listPods(ref.namespace, view.selector));
        if (why === undefined && !redisRestarted) {
          notes.push(`${kindName(ref)} is healthy and Redis was not restarted: left alone`);
          continue;
        }
        actions.push(rolloutRestart(ref, startedAt, why ?? 'Redis was restarted: reconnect to it'));
      }
      const waits = facts.dependents.map((target) =>
        workloadReady({ target, timeoutMs: params.timeout * 1000 }),
      );
      return { actions, waits, notes };
    },
  })
  .step({
    id: 'verify',
    title: 'Verify: Redis and every dependent Ready on its current template',
    explain:
      'Reads Redis and its dependents again and checks every pod is Ready on its current template. Changes nothing.',
    async plan({ facts, read }) {
      const notes: string[] = [];
      for (const ref of [facts.redis, ...facts.dependents]) {
        const view = await readView(read, ref);
        notes.push(
          `${kindName(ref)}: ${unhealthy(view, await read.kube.listPods(ref.namespace, view.selector)) ?? 'healthy'}`,
        );
      }
      return { actions: [], notes };
    },
    async verify({ facts, read }) {
      const problems: string[] = [];
      for (const ref of [facts.redis, ...facts.dependents]) {
        const view = await readView(read, ref);
        const why = unhealthy(view, await read.kube.listPods(ref.namespace, view.selector));
        if (why !== undefined) problems.push(`${kindName(ref)}: ${why}`);
      }
      return problems.length === 0
        ? { ok: true, detail: 'Redis and its dependents are Ready' }
        : { ok: false, detail: problems.join('; ') };
    },
  });
