// The text `runbook config init` writes: a commented runbook.config.yaml holding what the cluster
// showed (the Postgres workload, its namespace, the lock's namespace), every other section commented
// out as an example. It must load back without error: a test reads every file this writes.
import type { ClusterSurvey, PostgresWorkload } from './cluster-survey.js';

const RESERVED = new Set(['true', 'false', 'null', 'yes', 'no', 'on', 'off', 'y', 'n', '~']);

/** A plain scalar when YAML reads it back as the same text, else quoted. */
const scalar = (text: string): string =>
  /^[a-z][-a-z0-9.]*$/.test(text) && !RESERVED.has(text) ? text : JSON.stringify(text);

const POSTGRES_RUNBOOKS = ['postgres-remount', 'postgres-connections', 'postgres-backup'];

function describe(w: PostgresWorkload): string {
  const labels = Object.entries(w.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `${w.kind} ${w.namespace}/${w.name}${w.image === undefined ? '' : ` (image ${w.image})`}${labels === '' ? '' : `; its pods carry ${labels}`}`;
}

function runbooksSection(survey: ClusterSurvey | undefined): string[] {
  const found = survey?.postgres.find((w) => w.kind === 'Deployment');
  const lines = [
    '# Default parameters per runbook, by runbook id and parameter name (as `runbook show <id>` lists them).',
  ];
  if (survey !== undefined) {
    for (const w of survey.postgres) lines.push(`# Found Postgres: ${describe(w)}.`);
    if (survey.postgres.length === 0)
      lines.push('# No Deployment or StatefulSet whose name or image says postgres was found.');
    if (found === undefined && survey.postgres.length > 0)
      lines.push('# postgres-remount takes a Deployment: name it below if Postgres runs as one.');
  }
  const c = found === undefined ? '# ' : '';
  lines.push(`${c}runbooks:`);
  for (const id of POSTGRES_RUNBOOKS) {
    lines.push(`${c}  ${id}:`);
    lines.push(`${c}    namespace: ${scalar(found?.namespace ?? 'default')}`);
    lines.push(`${c}    deployment: ${scalar(found?.name ?? 'postgres')}`);
    if (id === 'postgres-backup')
      lines.push(`  #   directory: backups            # paths are relative to this file's folder`);
  }
  lines.push('  # core-services-restart:');
  lines.push('  #   waves: ops/waves.yaml');
  lines.push('  # node-drain:');
  lines.push('  #   timeout: 600');
  return lines;
}

function lockSection(survey: ClusterSurvey | undefined, lockNamespace: string): string[] {
  const namespace = survey?.lockNamespaces[0] ?? lockNamespace;
  const c = survey === undefined ? '# ' : '';
  return [
    '# The cluster lock (the Lease runbook-lock) that keeps two operators from recovering at once.',
    ...(survey !== undefined && survey.lockNamespaces.length > 0
      ? [`# A runbook-lock Lease is already in ${survey.lockNamespaces.join(', ')}.`]
      : []),
    `${c}lock:`,
    `${c}  namespace: ${scalar(namespace)}`,
  ];
}

export function starterFile(
  from: { survey: ClusterSurvey } | { unreadable: string },
  lockNamespace: string,
  now: Date,
): string {
  const survey = 'survey' in from ? from.survey : undefined;
  const header =
    'unreadable' in from
      ? [
          `# Could not read a cluster (${from.unreadable.replace(/\s+/g, ' ')}):`,
          '# these are the built-in defaults, commented out.',
        ]
      : [
          `# Written by \`runbook config init\` from the cluster ${from.survey.context} at ${from.survey.server}, ${now.toISOString()}.`,
        ];
  return [
    "# runbook.config.yaml: this team's settings for `runbook`, kept in the team's repository.",
    ...header,
    '# A flag beats an environment variable, which beats this file, which beats the built-in default.',
    '# `runbook config` shows every value in effect and where it came from.',
    '',
    ...runbooksSection(survey),
    '',
    "# Parameters for every runbook that has one by that name (a runbook's own section wins).",
    '# defaults:',
    '#   namespace: default',
    '',
    ...lockSection(survey, lockNamespace),
    '',
    '# Chat: the NAMES of the environment variables holding the webhook URLs, never the URLs.',
    '# chat:',
    '#   discord: DISCORD_WEBHOOK_URL',
    '#   slack: SLACK_WEBHOOK_URL',
    '',
    "# Alert routes tried before the built-in ones (`runbook for-alert`); {{label}} takes the alert's label.",
    '# alerts:',
    '#   - alert: NodeDown',
    '#     runbook: node-recycle',
    "#     params: { node: '{{exported_node}}' }",
    '#     why: our node alert',
    '',
  ].join('\n');
}
