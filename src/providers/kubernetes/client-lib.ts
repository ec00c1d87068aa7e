// Loads @kubernetes/client-node: the one-file bundle the build writes (dist/vendor/client-node.js,
// about half the start-up time and memory of its 2,700 modules), else the package itself (a run
// from source, or a build without esbuild). Same version, same API.
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
