// Alerts as Alertmanager really sends them: its webhook JSON (version 4) on standard input or from a
// file. Each firing alert gets its filled command line or a plain reason, and the exit code tells a
// script whether every firing alert was answered.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { execa } from 'execa';
import { BIN, ROOT, cleanEnv, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'runbook-for-alert-'));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

/** The CLI with `input` piped to its standard input, as `curl … | runbook for-alert` would. */
async function pipe(args: readonly string[], input: string) {
  const result = await execa(process.execPath, [BIN, ...args], {
    env: cleanEnv(),
    extendEnv: false,
    reject: false,
    input,
    cwd: ROOT,
    timeout: 60_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

interface RecordedAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
}

/** The shape Alertmanager posts to a webhook_config receiver (version 4), as recorded from one. */
function payload(alerts: readonly RecordedAlert[]) {
  return {
    version: '4',
    groupKey: '{}/{severity="page"}:{}',
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'runbook',
    groupLabels: {},
    commonLabels: { prometheus: 'monitoring/k8s' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.monitoring.svc:9093',
    alerts: alerts.map((a, i) => ({
      status: a.status,
      labels: { prometheus: 'monitoring/k8s', ...a.labels },
      annotations: { summary: `${a.labels.alertname ?? ''} fired` },
      startsAt: '2026-12-02T03:01:07.123Z',
      endsAt: a.status === 'resolved' ? '2026-12-02T03:31:07.123Z' : '0001-01-01T00:00:00Z',
      generatorURL: 'http://prometheus.monitoring.svc:9090/graph?g0.expr=up&g0.tab=1',
      fingerprint: `c6eadffa33fcdf3${i}`,
    })),
  };
}

// The team's node alert carries the node in exported_node (kube-state-metrics scraped without
// honor_labels); `node` is the node kube-state-metrics itself runs on.
const TEAM_ROUTES = [
  {
    alert: 'PydisNodeDown',
    runbook: 'node-recycle',
    params: { node: '{{exported_node}}' },
    why: 'our node alert: recycle the node it names',
  },
  {
    alert: 'PydisConnections',
    runbook: 'postgres-connections',
    params: { application: '{{app}}' },
    why: 'our connection alert, per application',
  },
];
const teamFile = file('team-alerts.json', TEAM_ROUTES);

const NIGHT = payload([
  {
    status: 'firing',
    labels: {
      alertname: 'PydisNodeDown',
      exported_node: 'lke13311-20304-5ffa4d11faab',
      node: 'lke13311-20304-0a1b2c3d4e5f',
      instance: '10.2.0.5:8080',
      job: 'kube-state-metrics',
      severity: 'page',
    },
  },
  {
    status: 'firing',
    labels: {
      alertname: 'HostClockSkew',
      instance: '10.2.0.7:9100',
      job: 'node-exporter',
      severity: 'warning',
    },
  },
  {
    status: 'resolved',
    labels: { alertname: 'KubePodCrashLooping', namespace: 'kube-system', pod: 'calico-node-x7k2p' },
  },
]);

const NIGHT_OUTPUT = [
  'Left out 1 resolved alert: KubePodCrashLooping.',
  'PydisNodeDown exported_node=lke13311-20304-5ffa4d11faab node=lke13311-20304-0a1b2c3d4e5f instance=10.2.0.5:8080 → node-recycle: our node alert: recycle the node it names',
  '  runbook node-recycle --node lke13311-20304-5ffa4d11faab --dry-run   # rehearse',
  '  runbook node-recycle --node lke13311-20304-5ffa4d11faab             # recover',
  '',
  'No runbook answers HostClockSkew instance=10.2.0.7:9100.',
  '  → `runbook for-alert --list` shows the routes; a team routes its own names under alerts: in runbook.config.yaml (or --alerts <file>).',
].join('\n');

describe('runbook for-alert with an Alertmanager payload', () => {
  it("from a file: the routed alert's command filled through the team's label mapping, the unrouted one named, exit 15", async () => {
    const result = await runCli(['for-alert', '--alerts', teamFile, '--payload', file('night.json', NIGHT)]);
    assert.equal(result.stdout, NIGHT_OUTPUT);
    assert.equal(result.stderr, '✖ 1 of 2 firing alerts has no command: 1 with no runbook.');
    assert.equal(result.exitCode, 15);
  });

  it('from runbook.config.yaml found above the working directory: its alerts: label mapping fills --node, exit 15 for the unrouted one', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'runbook-ops-repo-'));
    writeFileSync(
      join(repo, 'runbook.config.yaml'),
      [
        'alerts:',
        '  - alert: PydisNodeDown',
        '    runbook: node-recycle',
        "    params: { node: '{{exported_node}}' }",
        '    why: our node alert, recycle the node it names',
        '',
      ].join('\n'),
    );
    const below = join(repo, 'namespaces', 'default');
    mkdirSync(below, { recursive: true });
    const result = await execa(
      process.execPath,
      [BIN, 'for-alert', '--payload', file('night-config.json', NIGHT)],
      {
        env: cleanEnv(),
        extendEnv: false,
        reject: false,
        cwd: below,
        timeout: 60_000,
      },
    );
    assert.equal(
      result.stdout,
      NIGHT_OUTPUT.replace(
        'our node alert: recycle the node it names',
        'our node alert, recycle the node it names',
      ),
    );
    assert.equal(result.exitCode, 15);
    const list = await execa(process.execPath, [BIN, 'for-alert', '--list'], {
      env: cleanEnv(),
      extendEnv: false,
      reject: false,
      cwd: below,
    });
    assert.match(list.stdout, /^PydisNodeDown .*node-recycle.*runbook\.config\.yaml/m);
  });

  it('from standard input, piped with no argument or given as -: the same answer', async () => {
    for (const args of [[], ['-'], ['--payload', '-']]) {
      const result = await pipe(['for-alert', '--alerts', teamFile, ...args], JSON.stringify(NIGHT));
      assert.equal(result.stdout, NIGHT_OUTPUT, `for-alert ${args.join(' ')}`);
      assert.equal(result.exitCode, 15);
    }
  });

  it('a pipe left open with nothing coming ends at its bound, exit 2, naming what to give instead', async () => {
    const child = execa(process.execPath, [BIN, 'for-alert'], {
      env: cleanEnv({ RUNBOOK_STDIN_TIMEOUT: '2' }),
      extendEnv: false,
      reject: false,
      stdin: 'pipe',
      cwd: ROOT,
      timeout: 60_000,
    });
    child.stdin?.write('{"version": "4",');
    const result = await child;
    child.stdin?.destroy();
    assert.equal(result.timedOut, false);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /Standard input did not end within 2 s: pipe Alertmanager's whole JSON/);
    assert.equal(result.stdout, '');
  });

  it('every firing alert answered: exit 0, and two alerts that lead to the same command print it once', async () => {
    const both = payload([
      {
        status: 'firing',
        labels: { alertname: 'KubeNodeNotReady', node: 'lke1-a', job: 'kube-state-metrics' },
      },
      { status: 'firing', labels: { alertname: 'KubeNodeUnreachable', node: 'lke1-a', key: 'x' } },
      { status: 'firing', labels: { alertname: 'PostgreSQLHighConnections', instance: 'pg:9187' } },
    ]);
    const result = await pipe(['for-alert'], JSON.stringify(both));
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stderr, '');
    const lines = result.stdout.split('\n');
    assert.equal(lines.filter((l) => l.includes('runbook node-recycle --node lke1-a --dry-run')).length, 1);
    assert.match(result.stdout, /^KubeNodeNotReady node=lke1-a → node-recycle: a NotReady node/m);
    assert.match(result.stdout, /^KubeNodeUnreachable node=lke1-a → node-recycle: the same command$/m);
    assert.match(result.stdout, /^ {2}runbook postgres-connections --dry-run {3}# rehearse$/m);
  });

  it('a storm of alerts with one answer: a few named, the rest counted, the command once', async () => {
    const storm = payload(
      Array.from({ length: 8 }, (_, i) => ({
        status: 'firing' as const,
        labels: { alertname: 'KubePodCrashLooping', namespace: 'kube-system', pod: `calico-node-${i}` },
      })),
    );
    const result = await pipe(['for-alert'], JSON.stringify(storm));
    assert.equal(result.exitCode, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.equal(lines.filter((l) => l.startsWith('KubePodCrashLooping ')).length, 5);
    assert.ok(lines.includes('… and 3 more alerts with the same command'), result.stdout);
    assert.equal(lines.filter((l) => l.includes('runbook core-services-restart --dry-run')).length, 1);
  });

  it('a placeholder no label fills: the missing label and the ones it had, no <node>, exit 15', async () => {
    const bare = payload([
      { status: 'firing', labels: { alertname: 'KubeNodeNotReady', instance: '10.2.0.5:8080', job: 'ksm' } },
    ]);
    const result = await pipe(['for-alert'], JSON.stringify(bare));
    assert.equal(result.exitCode, 15);
    assert.equal(
      result.stdout,
      '✖ KubeNodeNotReady → node-recycle: no label exported_node or node to fill --node; the alert carries prometheus, alertname, instance, job.',
    );
    assert.doesNotMatch(result.stdout + result.stderr, /<node>|runbook node-recycle/);
    assert.equal(result.stderr, '✖ 1 of 1 firing alert has no command: 1 whose labels cannot fill it.');
  });

  it('a label that is not a usable value for the parameter: said, exit 15', async () => {
    const routes = file('instance-route.json', [
      { alert: 'HostDown', runbook: 'node-drain', params: { node: '{{instance}}' }, why: 'x' },
    ]);
    const down = payload([
      { status: 'firing', labels: { alertname: 'HostDown', instance: '10.2.0.5:9100' } },
    ]);
    const result = await pipe(['for-alert', '--alerts', routes], JSON.stringify(down));
    assert.equal(result.exitCode, 15);
    assert.match(
      result.stdout,
      /^✖ HostDown → node-drain: from label instance, --node "10\.2\.0\.5:9100" is not a valid Kubernetes name/,
    );
  });

  it('alerts Alertmanager left out of the group (truncatedAlerts): said, with where to see them', async () => {
    const group = {
      ...payload([{ status: 'firing', labels: { alertname: 'KubeNodeNotReady', node: 'lke1-a' } }]),
      truncatedAlerts: 3,
    };
    const result = await pipe(['for-alert'], JSON.stringify(group));
    assert.equal(result.exitCode, 0, result.stderr);
    assert.match(
      result.stdout,
      /^Alertmanager left out 3 more alerts of this group: see http:\/\/alertmanager\.monitoring\.svc:9093\.$/m,
    );
  });

  it('only resolved alerts: nothing is firing, exit 0', async () => {
    const calm = payload([{ status: 'resolved', labels: { alertname: 'KubeNodeNotReady', node: 'lke1-a' } }]);
    const result = await pipe(['for-alert'], JSON.stringify(calm));
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, 'Left out 1 resolved alert: KubeNodeNotReady.\nNothing is firing.');
  });

  it('--output json: the same answer for a script', async () => {
    const result = await runCli([
      'for-alert',
      '--alerts',
      teamFile,
      '--payload',
      file('night-json.json', NIGHT),
      '--output',
      'json',
    ]);
    assert.equal(result.exitCode, 15);
    const json = JSON.parse(result.stdout) as {
      commands: { runbook: string; command: string; source: string }[];
      unanswered: { labels: { alertname: string }; problem: string }[];
      resolved: { alertname: string }[];
    };
    assert.deepEqual(
      json.commands.map((c) => [c.runbook, c.command, c.source]),
      [['node-recycle', 'runbook node-recycle --node lke13311-20304-5ffa4d11faab', teamFile]],
    );
    assert.deepEqual(
      json.unanswered.map((u) => [u.labels.alertname, u.problem]),
      [['HostClockSkew', 'no runbook answers it']],
    );
    assert.deepEqual(
      json.resolved.map((r) => r.alertname),
      ['KubePodCrashLooping'],
    );
  });
});

describe('runbook for-alert refuses what is not an Alertmanager payload: exit 3, one sentence', () => {
  const cases: [string, string, RegExp][] = [
    [
      'bad JSON',
      '{"version": "4", "alerts": [',
      /^✖ Standard input is not JSON \(.*\): give the JSON Alertmanager posts to a webhook\.$/,
    ],
    [
      'a JSON list',
      '[1, 2]',
      /^✖ Standard input is JSON but not an Alertmanager webhook payload: it has no "alerts" list\.$/,
    ],
    ['Prometheus rules', '{"groups": [{"name": "x", "rules": []}]}', /it has no "alerts" list\.$/],
    [
      'another version',
      JSON.stringify({ ...payload([]), version: '3' }),
      /its version is "3", and this reads version "4"\.$/,
    ],
    [
      'an alert without a name',
      JSON.stringify({ version: '4', alerts: [{ status: 'firing', labels: { node: 'a' } }] }),
      /alert 1 has no labels\.alertname\.$/,
    ],
    [
      'a label that is not text',
      JSON.stringify({ version: '4', alerts: [{ status: 'firing', labels: { alertname: 'A', node: 7 } }] }),
      /alert 1's label node is not a string\.$/,
    ],
  ];
  for (const [what, input, message] of cases) {
    it(what, async () => {
      const result = await pipe(['for-alert'], input);
      assert.equal(result.exitCode, 3, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, message);
      assert.equal(result.stderr.split('\n').length, 1, result.stderr);
    });
  }

  it('a payload file that is not there', async () => {
    const result = await runCli(['for-alert', '--payload', join(dir, 'missing.json')]);
    assert.equal(result.exitCode, 3);
    assert.match(result.stderr, /^✖ The payload file .*missing\.json cannot be read/);
  });

  it('nothing at all: no name, no file, empty standard input → usage, exit 2', async () => {
    const result = await runCli(['for-alert']);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /^✖ Give an alert name, --payload <file>, or Alertmanager’s webhook JSON/);
  });
});

describe('label values in a command line a person pastes', () => {
  const connections = (app: string) =>
    JSON.stringify(payload([{ status: 'firing', labels: { alertname: 'PydisConnections', app } }]));

  /** The command line printed to recover, without the leading `runbook`. */
  async function printedArgs(app: string): Promise<string> {
    const result = await pipe(['for-alert', '--alerts', teamFile], connections(app));
    assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    const line = result.stdout.split('\n').find((l) => l.endsWith('# recover')) ?? '';
    return line.replace(/^ {2}runbook /, '').replace(/\s+# recover$/, '');
  }

  /** What a shell makes of those words: one argument per line. */
  async function shellWords(words: string): Promise<string[]> {
    const result = await execa('/bin/sh', ['-c', `printf '%s\\n' ${words}`], { reject: false });
    assert.equal(result.exitCode, 0, result.stderr);
    return result.stdout.split('\n');
  }

  const cases: [string, string, string][] = [
    ['plain', 'site', 'postgres-connections --application site'],
    ['a space', 'site bot', "postgres-connections --application 'site bot'"],
    ['a quote', "it's", "postgres-connections --application 'it'\\''s'"],
    [
      'a command substitution',
      '$(touch /tmp/pwned)',
      "postgres-connections --application '$(touch /tmp/pwned)'",
    ],
    ['a leading dash', '-x; rm -rf ~', "postgres-connections --application='-x; rm -rf ~'"],
    ['a flag of its own', '--yes', 'postgres-connections --application=--yes'],
  ];
  for (const [what, app, expected] of cases) {
    it(`${what}: quoted, and the shell hands the runbook exactly the label's value`, async () => {
      const args = await printedArgs(app);
      assert.equal(args, expected);
      const words = await shellWords(args);
      assert.deepEqual(words, [
        'postgres-connections',
        ...(app.startsWith('-') ? [`--application=${app}`] : ['--application', app]),
      ]);
    });
  }

  for (const [what, app] of [
    ['an escape sequence', 'site\u001b[2J'],
    ['a newline', 'site\nrunbook node-drain --node x'],
    ['a right-to-left override', 'site\u202e'],
  ]) {
    it(`${what}: refused in one sentence, nothing printed to paste, exit 3`, async () => {
      const result = await pipe(['for-alert', '--alerts', teamFile], connections(app ?? ''));
      assert.equal(result.exitCode, 3);
      assert.doesNotMatch(result.stdout, /runbook postgres-connections/);
      assert.match(
        result.stdout,
        /^✖ PydisConnections → postgres-connections: label app holds a control or text-direction character \("site\\(x1b|n|u202e)/,
      );
      assert.equal(result.stdout.split('\n').length, 1);
    });
  }
});
