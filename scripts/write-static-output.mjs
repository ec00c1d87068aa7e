// After tsc: the outputs of `runbook --help` and `runbook list` depend only on the build, so the
// build writes them once and the CLI prints them without loading commander or the runbooks.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

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
