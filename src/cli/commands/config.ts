// `runbook config`: the effective configuration, every value with where it came from (flag,
// environment, file, built-in), secrets masked: what a run would use, before it is run.
import { noSuchRunbook } from './show.js';

import { discoverConfig } from '../../config/discover.js';
import { loadConfigFile } from '../../config/load.js';
import { configReport } from '../../config/report.js';
import { effectiveSettings } from '../../config/effective-settings.js';
import { createRedactor, secretsInEnvironment } from '../../engine/redact.js';
import { describeSource, type Effective } from '../../config/source.js';
import { CONFIG_ENV, CONFIG_FILE_NAME } from '../../config/schema.js';
import { type Io, println } from '../io.js';
import { parseOutput } from '../output.js';
import { findAnyRunbook } from '../team/registry.js';

export interface ConfigFlags {
  readonly output?: string;
  readonly runbook?: string;
}

function rows(entries: Record<string, Effective>, indent: string): string[] {
  const width = Math.max(0, ...Object.keys(entries).map((k) => k.length));
  const valueWidth = Math.max(0, ...Object.values(entries).map((e) => e.value.length));
  return Object.entries(entries).map(
    ([key, e]) =>
      `${indent}${key.padEnd(width)}  ${e.value.padEnd(Math.min(valueWidth, 40))}  ${describeSource(e.source)}`,
  );
}

export async function configCommand(
  positional: string | undefined,
  flags: ConfigFlags,
  io: Io,
): Promise<number> {
  const format = parseOutput(flags.output);
  const only = flags.runbook ?? positional;
  if (only !== undefined && findAnyRunbook(only) === undefined) throw noSuchRunbook(only);
  const found = discoverConfig(io.cwd, io.env);
  const config = found === undefined ? undefined : await loadConfigFile(found.path, io.cwd);
  const report = configReport(io.env, config, found ?? null, only);
  // Every value is already masked; this pass keeps a secret out even where one was not expected.
  const settings = effectiveSettings(io.env, config);
  const redact = createRedactor([
    ...secretsInEnvironment(io.env),
    settings.chat.discord?.url,
    settings.chat.slack?.url,
  ]);
  if (format === 'json') {
    println(io.stdout, redact(JSON.stringify(report, null, 2)));
    return 0;
  }
  if (format === 'yaml') {
    const { stringify } = await import('yaml');
    io.stdout.write(redact(stringify(report, { lineWidth: 0 })));
    return 0;
  }
  const out = (line = ''): void => println(io.stdout, redact(line));
  out(
    found === undefined
      ? `No ${CONFIG_FILE_NAME} in ${io.cwd} or any folder above it (${CONFIG_ENV} is not set): built-in defaults.`
      : `Configuration file: ${found.path}${found.how === 'RUNBOOK_CONFIG' ? ` (from ${CONFIG_ENV})` : ''}`,
  );
  out('Precedence: flag, then environment, then the file, then built-in.');
  out();
  out('Settings');
  for (const line of rows(report.settings, '  ')) out(line);
  for (const [id, params] of Object.entries(report.runbooks)) {
    out();
    out(`${id}${Object.keys(params).length === 0 ? ': no parameter has a value until it is given' : ''}`);
    for (const line of rows(params, '  ')) out(line);
  }
  if (report.alerts.length > 0) {
    out();
    out('Alert routes from the file (tried before the built-in ones)');
    for (const route of report.alerts) {
      const params = Object.entries(route.params ?? {})
        .map(([k, v]) => ` ${k}=${v}`)
        .join('');
      out(`  ${route.alert} → ${route.runbook}${params}  ${describeSource(route.source)}`);
    }
  }
  return 0;
}
