// 2021-07-11, 06:36 UTC: "Python is offline", because Redis, a dependency of the bot, was not healthy.
// Here Redis' cause is memory: its dataset outgrew the container's 512Mi limit, the kernel OOM-kills
// it and it crash-loops; the bot gave up on it and crash-loops too. A restart, Redis first, ends it.
import type { Scenario } from '../scenario.js';
import { PYTHON_DISCORD_CLUSTER, postgresOnClaim, redisOnClaim, siteAndBot } from './july-night.js';
import { all, noCrashLoops, statefulPodsMounted, workloadReady } from './recovery.js';

export const redisOutOfMemory: Scenario = {
  name: '2021-07-11-redis-out-of-memory',
  summary:
    'Redis OOM-killed at its 512Mi limit and crash-looping; the bot, which depends on it, crash-looping too (Python offline).',
  postmortems: ['2021-07-11-cascading-node-failures'],
  runbook: 'redis-recover',
  alert: '06:36 UTC: Python (the bot) is offline; Redis, which it depends on, is not healthy (OOMKilled).',
  startsAt: '2021-07-11T06:30:00Z',
  ...PYTHON_DISCORD_CLUSTER,
  manifests: [
    ...postgresOnClaim(),
    ...redisOnClaim({
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
    }),
    ...siteAndBot({ siteService: true }),
  ],
  faults: [],
  timeline: [
    {
      at: 0,
      note: "Redis' dataset reaches 700Mi, past its 512Mi limit: OOMKilled on its next save",
      fault: {
        kind: 'redis-out-of-memory',
        namespace: 'default',
        labelSelector: 'app=redis',
        usedMemory: '700Mi',
      },
    },
    {
      at: 0,
      note: 'the bot loses Redis and exits; Python is offline',
      fault: { kind: 'pod-crash-loop', namespace: 'default', labelSelector: 'app=bot' },
    },
  ],
  recovered: all(
    workloadReady('Deployment', 'default', 'redis'),
    workloadReady('Deployment', 'default', 'site'),
    workloadReady('Deployment', 'default', 'bot'),
    noCrashLoops(['default']),
    statefulPodsMounted,
  ),
};
