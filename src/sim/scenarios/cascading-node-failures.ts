// 2021-07-11: a Django connection surge made Postgres's node unresponsive; it was recycled, and the
// Linode volumes of the stateful services stayed attached to the old, deleted Linode: their pods sit
// in ContainerCreating with "Unable to find device path" while the VolumeAttachments say attached.
import type { Scenario } from '../scenario.js';
import {
  APP_RESOURCES,
  PYTHON_DISCORD_CLUSTER,
  postgresOnClaim,
  redisOnClaim,
  siteAndBot,
} from './july-night.js';
import { statefulSet } from './manifests.js';
import { all, nodesReady, statefulPodsMounted, workloadsReady } from './recovery.js';

const RECYCLED = 'lke13311-16405-5fafd1b46dcf';
const pinned = { 'kubernetes.io/hostname': RECYCLED };

export const cascadingNodeFailures: Scenario = {
  name: '2021-07-11-cascading-node-failures',
  summary:
    'A recycled node: Postgres, Redis and PrestaShop stuck in ContainerCreating (FailedMount), their volumes still attached to the old Linode.',
  postmortems: ['2021-07-11-cascading-node-failures'],
  runbook: 'volume-reattach',
  alert: `01:13 UTC: ${RECYCLED} is back after its recycle, but volumes will not mount: stateful pods stuck in ContainerCreating.`,
  startsAt: '2021-07-11T00:27:00Z',
  ...PYTHON_DISCORD_CLUSTER,
  manifests: [
    ...postgresOnClaim(pinned),
    ...redisOnClaim({
      volumes: [
        {
          volume: { name: 'redis-config-volume', configMap: { name: 'redis-config' } },
          mountPath: '/config',
        },
      ],
      nodeSelector: pinned,
    }),
    statefulSet('prestashop', 'default', 1, {
      image: 'prestashop/prestashop:1.7',
      port: 80,
      resources: APP_RESOURCES,
      nodeSelector: pinned,
      claimTemplate: { name: 'data', size: '10Gi', mountPath: '/var/www/html' },
    }),
    ...siteAndBot({ siteService: false }),
  ],
  faults: [],
  timeline: [
    {
      at: 28,
      note: `00:55 UTC: ${RECYCLED} is recycled; it did not shut down cleanly, so Linode still reports its volumes attached to the old Linode`,
      recycle: { node: RECYCLED, volumesStayAttached: true },
    },
  ],
  recovered: all(nodesReady, statefulPodsMounted, workloadsReady(['default'])),
};
