// What the programs the simulated containers run write to stdout, in their own formats: how they
// start, how they fail (exit with an error, killed by the OOM killer), and how a saturated Postgres
// refuses connections, server side and client side.

/** One line of a container's log, at a simulated time (unique and increasing within one run). */
export interface LogLine {
  at: number;
  text: string;
}

export type Program =
  'postgres' | 'redis' | 'gunicorn' | 'discord-bot' | 'nginx' | 'coredns' | 'calico' | 'csi' | 'other';

/** Recognises the program from the image (and the container name, for the LKE system pods). */
export function programOf(image: string, container: string): Program {
  const repo = image.split('@')[0]?.replace(/:[^/]*$/, '') ?? image;
  const last = repo.split('/').pop() ?? repo;
  if (last === 'postgres' || last.startsWith('postgresql')) return 'postgres';
  if (last === 'redis') return 'redis';
  if (last === 'nginx' || last.startsWith('nginx-')) return 'nginx';
  if (last === 'coredns' || container === 'coredns') return 'coredns';
  if (repo.includes('calico') || container.startsWith('calico')) return 'calico';
  if (repo.includes('csi') || container.startsWith('csi-')) return 'csi';
  if (repo.endsWith('python-discord/site') || last === 'site') return 'gunicorn';
  if (repo.endsWith('python-discord/bot') || last === 'bot') return 'discord-bot';
  return 'other';
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2020-12-11 13:24:01.512 UTC`: Postgres' %m in the image's default log_line_prefix. */
const pgTime = (ms: number): string => `${new Date(ms).toISOString().replace('T', ' ').slice(0, 23)} UTC`;
/** `[2020-12-11 13:24:01 +0000]`: gunicorn's access and error log time. */
const gunicornTime = (ms: number): string =>
  `[${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} +0000]`;
/** `11 Dec 2020 13:24:01.512`: Redis' log time. */
function redisTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()} ${d.toISOString().slice(11, 23)}`;
}
/** `I1211 13:24:01.512000       1 main.go:99]`: klog's header, as the CSI driver writes it. */
function klog(level: 'I' | 'E' | 'F', ms: number, where: string): string {
  const d = new Date(ms);
  return `${level}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())} ${d.toISOString().slice(11, 23)}000       1 ${where}]`;
}

function postgresVersion(image: string): string {
  const tag = /:(\d+)/.exec(image)?.[1] ?? '13';
  const minor: Record<string, string> = {
    '11': '11.10',
    '12': '12.5',
    '13': '13.1',
    '14': '14.10',
    '15': '15.5',
    '16': '16.1',
  };
  return minor[tag] ?? `${tag}.0`;
}

/** Lines at `start`, `start+1` ms, ... (one timestamp per line keeps the order and follow simple). */
const at = (start: number, texts: string[]): LogLine[] => texts.map((text, i) => ({ at: start + i, text }));

export interface RunContext {
  image: string;
  container: string;
  port?: number | undefined;
  /** The container's command then args, as the pod spec gives them. */
  argv?: string[] | undefined;
  /** The run before ended in a crash: Postgres finds its data not properly shut down. */
  afterCrash?: boolean;
}

/** What `echo …` (alone or as `sh -c "echo …"`) prints; undefined for any other command. */
export function echoed(argv: readonly string[]): string | undefined {
  const [program, ...rest] = argv;
  if (program === 'echo') return rest.join(' ');
  if (program !== undefined && /^(\/bin\/)?(ba)?sh$/.test(program) && rest[0] === '-c' && rest.length === 2) {
    const m = /^echo\s+(['"]?)(.*)\1\s*$/.exec(rest[1] ?? '');
    if (m !== null) return m[2];
  }
  return undefined;
}

/** A normal start, written in the first second of the container's run. */
export function startLines(program: Program, start: number, run: RunContext): LogLine[] {
  const t = start + 500;
  switch (program) {
    case 'postgres':
      return at(t, [
        '',
        'PostgreSQL Database directory appears to contain a database; Skipping initialization',
        '',
        `${pgTime(t)} [1] LOG:  starting PostgreSQL ${postgresVersion(run.image)} on x86_64-pc-linux-musl, compiled by gcc (Alpine 9.3.0) 9.3.0, 64-bit`,
        `${pgTime(t + 1)} [1] LOG:  listening on IPv4 address "0.0.0.0", port 5432`,
        `${pgTime(t + 2)} [1] LOG:  listening on IPv6 address "::", port 5432`,
        `${pgTime(t + 3)} [1] LOG:  listening on Unix socket "/var/run/postgresql/.s.PGSQL.5432"`,
        ...(run.afterCrash === true
          ? [
              `${pgTime(t + 10)} [21] LOG:  database system was interrupted; last known up at ${pgTime(start - 41_000).slice(0, 19)} UTC`,
              `${pgTime(t + 11)} [21] LOG:  database system was not properly shut down; automatic recovery in progress`,
              `${pgTime(t + 14)} [21] LOG:  redo starts at 0/1A2B3C8`,
              `${pgTime(t + 15)} [21] LOG:  invalid record length at 0/1A2F0E0: wanted 24, got 0`,
              `${pgTime(t + 15)} [21] LOG:  redo done at 0/1A2F0A8`,
            ]
          : [
              `${pgTime(t + 10)} [21] LOG:  database system was shut down at ${pgTime(start - 12_000).slice(0, 19)} UTC`,
            ]),
        `${pgTime(t + 20)} [1] LOG:  database system is ready to accept connections`,
      ]);
    case 'redis':
      return at(t, [
        `1:C ${redisTime(t)} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo`,
        `1:C ${redisTime(t)} # Redis version=6.0.9, bits=64, commit=00000000, modified=0, pid=1, just started`,
        `1:M ${redisTime(t + 2)} * Running mode=standalone, port=6379.`,
        `1:M ${redisTime(t + 3)} * DB loaded from disk: 0.012 seconds`,
        `1:M ${redisTime(t + 3)} * Ready to accept connections`,
      ]);
    case 'gunicorn':
      return at(t, [
        `${gunicornTime(t)} [1] [INFO] Starting gunicorn 20.0.4`,
        `${gunicornTime(t)} [1] [INFO] Listening at: http://0.0.0.0:${run.port ?? 8000} (1)`,
        `${gunicornTime(t)} [1] [INFO] Using worker: sync`,
        `${gunicornTime(t)} [8] [INFO] Booting worker with pid: 8`,
        `${gunicornTime(t)} [9] [INFO] Booting worker with pid: 9`,
      ]);
    case 'discord-bot':
      return at(t, [
        `${new Date(t).toISOString().replace('T', ' ').slice(0, 19)} | bot.bot | INFO | Connecting to the site API`,
        `${new Date(t + 900).toISOString().replace('T', ' ').slice(0, 19)} | bot.bot | INFO | Bot connected to Discord`,
      ]);
    case 'nginx':
      return at(t, [
        '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
        '/docker-entrypoint.sh: Configuration complete; ready for start up',
      ]);
    case 'coredns':
      return at(t, [
        '.:53',
        '[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908',
        'CoreDNS-1.11.1',
        'linux/amd64, go1.20.7, ae2bbc2',
      ]);
    case 'calico':
      return at(t, [
        `${pgTime(t).slice(0, 23)} [INFO][9] startup/startup.go 425: Early log level set to info`,
        `${pgTime(t + 40).slice(0, 23)} [INFO][9] startup/startup.go 613: Using node name: ${run.container}`,
        `${pgTime(t + 300).slice(0, 23)} [INFO][9] startup/startup.go 136: Datastore connection verified`,
      ]);
    case 'csi':
      return at(t, [
        `${klog('I', t, 'main.go:99')} Starting Linode Block Storage CSI driver`,
        `${klog('I', t + 5, 'server.go:105')} Listening for connections on address: &net.UnixAddr{Name:"/csi/csi.sock", Net:"unix"}`,
      ]);
    case 'other': {
      const said = echoed(run.argv ?? []);
      if (said !== undefined) return at(t, [said]);
      return run.port === undefined ? [] : at(t, [`Listening on 0.0.0.0:${run.port}`]);
    }
  }
}

/** The last lines before a container exits with an error (the crash loop's error). */
export function errorLines(program: Program, end: number, run: RunContext): LogLine[] {
  const t = end - 50;
  switch (program) {
    case 'postgres':
      return at(t, [
        `${pgTime(t)} [1] FATAL:  could not open file "global/pg_filenode.map": Permission denied`,
        `${pgTime(t + 1)} [1] LOG:  database system is shut down`,
      ]);
    case 'gunicorn':
      return at(t, [
        'Traceback (most recent call last):',
        '  File "/usr/local/lib/python3.9/site-packages/django/db/backends/base/base.py", line 219, in ensure_connection',
        '    self.connect()',
        '  File "/usr/local/lib/python3.9/site-packages/psycopg2/__init__.py", line 127, in connect',
        '    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)',
        'django.db.utils.OperationalError: could not translate host name "postgres.default.svc.cluster.local" to address: Temporary failure in name resolution',
        '',
        `${gunicornTime(t + 2)} [8] [INFO] Worker exiting (pid: 8)`,
        `${gunicornTime(t + 3)} [1] [INFO] Shutting down: Master`,
        `${gunicornTime(t + 3)} [1] [INFO] Reason: Worker failed to boot.`,
      ]);
    case 'coredns':
      return at(t, [
        '[INFO] plugin/ready: Still waiting on: "kubernetes"',
        '[ERROR] plugin/kubernetes: Failed to watch *v1.Namespace: failed to list *v1.Namespace: Get "https://10.128.0.1:443/api/v1/namespaces?limit=500&resourceVersion=0": dial tcp 10.128.0.1:443: i/o timeout',
        '[FATAL] plugin/kubernetes: timed out waiting for the API server to sync',
      ]);
    case 'calico':
      return at(t, [
        `${pgTime(t).slice(0, 23)} [ERROR][9] startup/startup.go 146: failed to query kubeadm's config map error=Get "https://10.128.0.1:443/api/v1/namespaces/kube-system/configmaps/kubeadm-config?timeout=2s": dial tcp 10.128.0.1:443: i/o timeout`,
        `${pgTime(t + 1).slice(0, 23)} [WARNING][9] startup/utils.go 48: Terminating`,
        'Calico node failed to start',
      ]);
    case 'csi':
      return at(t, [
        `${klog('F', t, 'main.go:62')} failed to create driver: failed to get the Linode instance of this node: Get "https://api.linode.com/v4/linode/instances": dial tcp: lookup api.linode.com: i/o timeout`,
      ]);
    case 'redis':
      return at(t, [`1:M ${redisTime(t)} # Fatal error loading the DB: Permission denied. Exiting.`]);
    case 'discord-bot':
      return at(t, [
        `${new Date(t).toISOString().replace('T', ' ').slice(0, 19)} | bot.bot | ERROR | Could not connect to the site API: 503 Service Unavailable`,
        'Traceback (most recent call last):',
        '  File "/bot/bot/__main__.py", line 15, in <module>',
        '    bot.run(constants.Bot.token)',
        'aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host site.default.svc.cluster.local:80 ssl:default [Connection refused]',
      ]);
    case 'nginx':
      return at(t, [
        `${new Date(t).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, '/')} [emerg] 1#1: host not found in upstream "site:8000"`,
      ]);
    case 'other':
      return at(t, [`Error: ${run.container} exited: fatal error, exit code 1`]);
  }
}

/** The last lines before the OOM killer's SIGKILL: the program says nothing of its own death. */
export function oomLines(program: Program, end: number): LogLine[] {
  const t = end - 20;
  switch (program) {
    case 'postgres':
      return at(t, [
        `${pgTime(t)} [1] LOG:  server process (PID 812) was terminated by signal 9: Killed`,
        `${pgTime(t + 1)} [1] DETAIL:  Failed process was running: SELECT "api_message"."id" FROM "api_message" ORDER BY "api_message"."id" DESC`,
        `${pgTime(t + 2)} [1] LOG:  terminating any other active server processes`,
      ]);
    case 'gunicorn':
      return at(t, [`${gunicornTime(t)} [1] [WARNING] Worker with pid 9 was terminated due to signal 9`]);
    case 'redis':
      // A save forks Redis: copy-on-write pages of a dataset near the limit push the container over it.
      return at(t, [
        `1:M ${redisTime(t)} * 10000 changes in 60 seconds. Saving...`,
        `1:M ${redisTime(t + 1)} * Background saving started by pid 27`,
      ]);
    case 'discord-bot':
    case 'nginx':
    case 'coredns':
    case 'calico':
    case 'csi':
    case 'other':
      return [];
  }
}

/** Postgres' refusal of one connection beyond max_connections. */
export function refusedConnection(at: number, pid: number): string {
  return `${pgTime(at)} [${pid}] FATAL:  sorry, too many clients already`;
}

/** A client's report of the refusal (a Django request failing on its database connection). */
export function clientRefused(program: Program, t: number): LogLine[] {
  if (program !== 'gunicorn')
    return at(t, ['psycopg2.OperationalError: FATAL:  sorry, too many clients already']);
  return at(t, [
    `${gunicornTime(t)} [8] [ERROR] Internal Server Error: /api/bot/infractions`,
    'Traceback (most recent call last):',
    '  File "/usr/local/lib/python3.9/site-packages/django/db/backends/base/base.py", line 219, in ensure_connection',
    '    self.connect()',
    '  File "/usr/local/lib/python3.9/site-packages/psycopg2/__init__.py", line 127, in connect',
    '    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)',
    'psycopg2.OperationalError: FATAL:  sorry, too many clients already',
    '',
    'The above exception was the direct cause of the following exception:',
    '',
    'django.db.utils.OperationalError: FATAL:  sorry, too many clients already',
  ]);
}
