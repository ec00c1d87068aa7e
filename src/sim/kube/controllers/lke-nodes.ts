// LKE's side of a node recycle requested over the Linode API: once the replacement Linode runs, the
// Kubernetes node registers again on it (same name, new providerID), as the scenario's recycle does.
import type { Controller, ControllerContext } from './runtime.js';
import { createWorkQueue, defs } from './runtime.js';
import { linodeIdOf } from './nodes.js';

export function createLkeNodeController(ctx: ControllerContext): Controller {
  const { api } = ctx;

  const reconcile = (): void => {
    for (const node of api.store.list(defs.node)) {
      const old = linodeIdOf(node);
      if (old === undefined || ctx.linode.instance(old) !== undefined) continue;
      const replacement = ctx.linode.replacementOf(old);
      if (replacement === undefined || ctx.linode.instance(replacement)?.status !== 'running') continue;
      api.mutate(defs.node, undefined, node.metadata.name, (o) => {
        (o.spec as { providerID?: string }).providerID = `linode://${replacement}`;
      });
    }
  };

  const queue = createWorkQueue(ctx, 'lke-nodes', reconcile);
  return {
    name: 'lke-nodes',
    onLinodeChange: () => queue.add('all'),
  };
}
