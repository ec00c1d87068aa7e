// Redis' memory against its container's limit: whether a redis-out-of-memory fault's dataset no
// longer fits, so the kernel OOM-kills the container (no limit: the node's memory, assumed to fit).
import { parseQuantity } from '../quantity.js';

interface LimitedContainer {
  readonly resources?: { readonly limits?: { readonly memory?: unknown } };
}

export function outgrowsLimit(containers: readonly LimitedContainer[], usedMemory: string): boolean {
  const used = parseQuantity(usedMemory);
  return containers.some((c) => {
    const limit = parseQuantity(c.resources?.limits?.memory);
    return limit > 0 && used > limit;
  });
}
