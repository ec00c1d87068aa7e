// The package as a team gets it: `npm pack`, `npm install -g` into a scratch prefix, then run from a
// folder that is not the clone, on the Node running this test (CI: 20 and 24). An installed copy
// resolves its own dependencies, not this repository's lockfile and overrides, so only this shows
// that it starts on Node 20 and carries what it needs (and nothing it should not).
import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, isAbsolute, join, relative } from 'node:path';
import { before, describe, it } from 'node:test';
import { execa } from 'execa';
import { ROOT, cleanEnv } from '../helpers/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'runbook-packed-'));
const prefix = join(scratch, 'prefix');
const elsewhere = join(scratch, 'elsewhere');
const installed = join(prefix, 'lib', 'node_modules', 'runbook');
const runbook = join(prefix, 'bin', 'runbook');
// The bin's `#!/usr/bin/env node` and npm find this test's Node first.
const PATH = [dirname(process.execPath), process.env.PATH ?? ''].join(delimiter);

let packedFiles: string[] = [];
let installLog = '';

/** The installed runbook, run as its bin link, from a folder of its own with a home of its own. */
function runInstalled(
  args: readonly string[],
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return execa(runbook, args, {
    cwd: elsewhere,
    env: cleanEnv({
      PATH,
      HOME: join(scratch, 'home'),
      RUNBOOK_STATE_DIR: join(scratch, 'state'),
      XDG_STATE_HOME: join(scratch, 'xdg-state'),
    }),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 60_000,
  }).then((r) => ({ exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr }));
}

describe('the packed package, installed with npm install -g and run from another folder', () => {
  before(
    async () => {
      for (const dir of [elsewhere, join(scratch, 'home'), join(scratch, 'pack')]) mkdirSync(dir);
      // npm's own environment only (its cache under HOME): not the npm_config_* of an `npm test`.
      const npmEnv = { PATH, ...(process.env.HOME === undefined ? {} : { HOME: process.env.HOME }) };
      // dist is built (pretest); --ignore-scripts keeps npm pack from building it a second time.
      const pack = await execa(
        'npm',
        ['pack', '--json', '--ignore-scripts', '--pack-destination', join(scratch, 'pack')],
        { cwd: ROOT, env: npmEnv, extendEnv: false },
      );
      const [manifest] = JSON.parse(pack.stdout) as Array<{
        filename: string;
        files: Array<{ path: string }>;
      }>;
      assert.ok(manifest !== undefined, pack.stdout);
      packedFiles = manifest.files.map((f) => f.path);
      const install = await execa(
        'npm',
        [
          'install',
          '--global',
          '--prefix',
          prefix,
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
          '--loglevel=warn',
          join(scratch, 'pack', manifest.filename),
        ],
        { cwd: elsewhere, env: npmEnv, extendEnv: false, all: true },
      );
      installLog = install.all;
    },
    { timeout: 180_000 },
  );

  it('ships what runs and the documents it names, and no tests, bench, sources, CI or leftovers', () => {
    for (const wanted of [
      'package.json',
      'README.md',
      'LICENSE',
      '.env.example',
      'dist/bin/runbook.js',
      'dist/vendor/client-node.js',
      'dist/src/authoring.js',
      'dist/src/authoring.d.ts',
      'docs/DESIGN.md',
      'docs/postmortems/2020-12-11-postgres-conn-surge.rst',
      'docs/runbooks/postgres-remount.md',
    ]) {
      assert.ok(packedFiles.includes(wanted), `${wanted} is not in the tarball`);
    }
    const unwanted = packedFiles.filter(
      (path) =>
        /^(test|bench|src|runbooks|scripts|\.ci|node_modules|coverage|runbook-train-repo)\//.test(path) ||
        /(^|\/)\.env$|\.map$|\.tgz$/.test(path) ||
        (/kubeconfig|secret/i.test(path) && !path.startsWith('dist/')),
    );
    assert.deepEqual(unwanted, []);
  });

  it('installs on this Node without an engine warning', () => {
    assert.doesNotMatch(installLog, /EBADENGINE|Unsupported engine/, installLog);
    // client-node comes bundled (with the undici this Node can run), never from the registry.
    assert.ok(
      !readdirSync(join(installed, 'node_modules')).includes('@kubernetes'),
      'client-node was installed',
    );
  });

  it('imports at run time only Node built-ins and its declared dependencies', () => {
    const declared = Object.keys(
      (JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies: object })
        .dependencies,
    );
    const undeclared = new Set<string>();
    for (const file of packedFiles.filter((p) => p.startsWith('dist/') && p.endsWith('.js'))) {
      if (file === 'dist/vendor/client-node.js') continue; // bundled: it needs nothing installed
      const code = readFileSync(join(installed, file), 'utf8');
      for (const [, specifier] of code.matchAll(
        // `from` only ends an import or export statement: prose such as "where it came from" is not one.
        /(?:^\s*(?:import|export)\b[^;'"]*\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|\)\(\s*)['"]([^'"./][^'"]*)['"]/gm,
      )) {
        const name = specifier?.startsWith('@')
          ? specifier.split('/').slice(0, 2).join('/')
          : specifier?.split('/')[0];
        if (name === undefined || name.startsWith('node:') || builtinModules.includes(name)) continue;
        // Its own name: the import line of the runbook `runbook new` writes, a template here.
        if (name === 'runbook' && file.endsWith('/team/scaffold.js')) continue;
        // client-lib's fallback for a run from source, never taken where the bundle is.
        if (name === '@kubernetes/client-node' && file.endsWith('/kubernetes/client-lib.js')) continue;
        if (!declared.includes(name)) undeclared.add(`${name} (${file})`);
      }
    }
    assert.deepEqual([...undeclared], []);
  });

  it('runs postgres-remount on the simulator to the end, from a folder that is not the clone', async () => {
    assert.ok(relative(ROOT, elsewhere).startsWith('..'));
    const result = await runInstalled(['postgres-remount', '--sim', '--yes']);
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.match(result.stdout, /postgres-remount finished in [\d.]+s/);
  });

  it('lists the runbooks and shows a postmortem path inside the installed copy', async () => {
    const list = await runInstalled(['list']);
    assert.equal(list.exitCode, 0, list.stderr);
    assert.match(list.stdout, /^postgres-remount\s+changes\s+Take Postgres down/m);
    const show = await runInstalled(['show', 'postgres-remount']);
    assert.equal(show.exitCode, 0, show.stderr);
    const named = join(installed, 'docs', 'postmortems', '2020-12-11-postgres-conn-surge.rst');
    assert.ok(show.stdout.includes(named) && isAbsolute(named), show.stdout);
    assert.ok(statSync(named).isFile());
  });

  it("loads a team's runbook, written by `runbook new` in a folder without node_modules, and runs it", async () => {
    const team = join(scratch, 'team-runbooks');
    const made = await runInstalled(['new', 'restart-web', '--dir', team]);
    assert.equal(made.exitCode, 0, made.stderr);
    const list = await runInstalled(['--runbooks', team, 'list']);
    assert.equal(list.exitCode, 0, list.stderr);
    assert.match(list.stdout, /^restart-web\s+changes\s+.*\(team's own\)$/m);
    const dry = await runInstalled([
      '--runbooks',
      team,
      'restart-web',
      '--sim',
      '--speed',
      'instant',
      '--dry-run',
    ]);
    assert.equal(dry.exitCode, 0, dry.stderr + dry.stdout);
    assert.match(dry.stdout, /nothing was changed in the cluster/);
  });

  it("types a team's runbook in its editor: Kubernetes and Linode objects are known, not any", async () => {
    // A team's repository with runbook installed in it (here: linked to the installed copy).
    const repo = join(scratch, 'team-repo');
    mkdirSync(join(repo, 'node_modules'), { recursive: true });
    symlinkSync(installed, join(repo, 'node_modules', 'runbook'), 'dir');
    const made = await runInstalled(['new', 'restart-web', '--dir', join(repo, 'runbooks')]);
    assert.equal(made.exitCode, 0, made.stderr);
    // The tsconfig docs/authoring.md gives.
    writeFileSync(
      join(repo, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          strict: true,
          skipLibCheck: true,
          noEmit: true,
        },
        include: ['runbooks'],
      }),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const clean = await execa(process.execPath, [tsc, '-p', repo], { reject: false });
    assert.equal(clean.exitCode, 0, clean.stdout + clean.stderr);
    writeFileSync(
      join(repo, 'runbooks', 'mistaken.ts'),
      [
        "import type { Readers, V1Pod } from 'runbook';",
        'export async function mistaken(read: Readers, pod: V1Pod): Promise<number> {',
        '  const node: number = (await read.kube.listNodes())[0];',
        "  const volume: number = (await read.linode.findVolumes('pg'))[0];",
        '  return node + volume + pod.spec?.nodeName;',
        '}',
        '',
      ].join('\n'),
    );
    const typed = await execa(process.execPath, [tsc, '-p', repo], { reject: false });
    assert.equal(typed.exitCode, 2, typed.stdout);
    assert.match(typed.stdout, /Type 'V1Node' is not assignable to type 'number'/);
    assert.match(typed.stdout, /Type 'Volume' is not assignable to type 'number'/);
    assert.match(typed.stdout, /'pod.spec.nodeName' is possibly 'undefined'/);
  });

  it('leaves nothing in the folder it ran from', () => {
    assert.deepEqual(readdirSync(elsewhere), []);
  });
});
