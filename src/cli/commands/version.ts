// `runbook version` and `runbook --version`: this copy's version, the Node running it, and the client
// libraries that talk to Kubernetes, Linode and Postgres (what a bug report needs first).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Io, println } from '../io.js';
import { type OutputFormat, printAs } from '../output.js';
import { packageRoot } from '../package-root.js';

/** The client libraries, by what they talk to. */
const CLIENTS = [
  ['kubernetes', '@kubernetes/client-node'],
  ['linode', '@linode/api-v4'],
  ['postgres', 'pg'],
] as const;

/** Written by the build (scripts/write-static-output.mjs): the versions bundled into dist/vendor. */
const BUILT = new URL('../../../versions.json', import.meta.url);

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The installed package's version: its package.json, found above the file its name resolves to. */
function installedVersion(name: string): string | undefined {
  let dir: string;
  try {
    dir = dirname(fileURLToPath(import.meta.resolve(name)));
  } catch {
    return undefined;
  }
  for (; dirname(dir) !== dir; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const json = readJson(manifest);
    if (json?.name === name && typeof json.version === 'string') return json.version;
  }
  return undefined;
}

export interface Versions {
  readonly runbook: string;
  readonly node: string;
  readonly clients: Readonly<Record<string, { readonly package: string; readonly version: string }>>;
}

export function versions(): Versions {
  const built = existsSync(fileURLToPath(BUILT)) ? readJson(fileURLToPath(BUILT)) : undefined;
  const own = readJson(join(packageRoot(), 'package.json'));
  const clients = Object.fromEntries(
    CLIENTS.map(([what, name]) => {
      const bundled = built?.[name];
      const version = typeof bundled === 'string' ? bundled : (installedVersion(name) ?? 'not installed');
      return [what, { package: name, version }];
    }),
  );
  return {
    runbook: typeof own?.version === 'string' ? own.version : 'unknown',
    node: process.version,
    clients,
  };
}

export async function versionCommand(io: Io, format: OutputFormat): Promise<number> {
  const v = versions();
  await printAs(
    io,
    format,
    () => v,
    () => {
      println(io.stdout, `runbook ${v.runbook}`);
      println(io.stdout, `node    ${v.node}`);
      for (const [what, client] of Object.entries(v.clients))
        println(io.stdout, `${what.padEnd(10)} ${client.package} ${client.version}`);
    },
  );
  return 0;
}
