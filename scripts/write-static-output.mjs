// After tsc: make the entry point executable (tsc writes it 644, and `npx runbook` runs it as a
// program), and write the outputs of `runbook --help` and `runbook list`, which depend only on the
// build, so the CLI prints them without loading commander or the runbooks.
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';

chmodSync('dist/bin/runbook.js', 0o755);

for (const [name, args] of [
  ['help', ['--help']],
  ['list', ['list']],
]) {
  const result = spawnSync(process.execPath, ['dist/bin/runbook.js', ...args], {
    env: { ...process.env, RUNBOOK_STATIC_CACHE: 'off' },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    process.stderr.write(result.stderr);
    process.exit(result.status ?? 1);
  }
  writeFileSync(`dist/${name}.txt`, result.stdout);
}

// The versions of what the build bundled (dist/vendor), for `runbook version`: an installed copy has
// no node_modules entry for them to be read from.
const clientNode = JSON.parse(readFileSync('node_modules/@kubernetes/client-node/package.json', 'utf8'));
writeFileSync('dist/versions.json', `${JSON.stringify({ '@kubernetes/client-node': clientNode.version })}\n`);
