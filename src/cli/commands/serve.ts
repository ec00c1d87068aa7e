// `runbook serve`: receives Alertmanager's webhook and, for each firing alert a route answers, posts the
// runbook, its command and its dry run to the team's chat. It only reads; it stops on SIGTERM or Ctrl-C.
import { configRoutes, routesFile, routesInForce } from '../alerts/routes.js';
import { usageError } from '../../engine/errors.js';
import { parseDuration } from '../../serve/duration.js';
import { startServe } from '../../serve/server.js';
import type { Io } from '../io.js';
import { allRunbooks } from '../team/registry.js';

export interface ServeFlags {
  listen?: string;
  foldWindow?: string;
  alerts?: string;
  kubeconfig?: string;
  context?: string;
}

/** `host:port`, `[v6]:port` or `:port` (loopback). */
export function parseListen(text: string | undefined): { host: string; port: number } {
  if (text === undefined) return { host: '127.0.0.1', port: 9095 };
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text);
  const port = Number(match?.[3]);
  if (match === null || port > 65535) {
    throw usageError(
      `--listen ${text} is not host:port.`,
      'e.g. --listen 127.0.0.1:9095, or 0.0.0.0:9095 in a pod.',
    );
  }
  return { host: match[1] ?? (match[2] === '' || match[2] === undefined ? '127.0.0.1' : match[2]), port };
}

const FOLD_MIN_MS = 1000;
const FOLD_MAX_MS = 24 * 3_600_000;

/** How long repeats of a firing alert fold into its dry run: 5m unless given, from 1s to 24h. */
export function parseFoldWindow(text: string | undefined): number {
  if (text === undefined) return 5 * 60_000;
  const ms = parseDuration(text.trim());
  if (ms === undefined || ms < FOLD_MIN_MS || ms > FOLD_MAX_MS)
    throw usageError(
      `--fold-window ${JSON.stringify(text)} is not a duration from 1s to 24h, such as 30s, 5m or 1h30m.`,
    );
  return ms;
}

export async function serveCommand(flags: ServeFlags, io: Io): Promise<number> {
  const { host, port } = parseListen(flags.listen);
  const foldMs = parseFoldWindow(flags.foldWindow);
  const file = flags.alerts ?? io.env.RUNBOOK_ALERTS_FILE;
  const routes = routesInForce([
    file === undefined || file === '' ? undefined : routesFile(file),
    await configRoutes(io),
  ]);
  const serve = await startServe({
    host,
    port,
    env: io.env,
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    routes,
    // The team's runbooks too (main loads its folder for serve): a dry run holds no writers either way.
    runbooks: allRunbooks(),
    stdout: io.stdout,
    foldMs,
  });
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  await serve.stop();
  return 0;
}
