// Loads @kubernetes/client-node, and is the only code that may: the build bundles it with its own
// dependencies into dist/vendor/client-node.js (half the start-up time and memory of its 2,700
// modules, and the undici 7 that Node 20 needs), and an installed copy has no other. A run from
// source (tsx) has no bundle and loads the package, a devDependency, instead. Same version, same API.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as ClientNode from '@kubernetes/client-node';

const bundled = new URL('../../../vendor/client-node.js', import.meta.url);

let loading: Promise<typeof ClientNode> | undefined;

export function loadClientNode(): Promise<typeof ClientNode> {
  loading ??= existsSync(fileURLToPath(bundled))
    ? (import(bundled.href) as Promise<typeof ClientNode>)
    : import('@kubernetes/client-node');
  return loading;
}
