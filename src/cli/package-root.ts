// Where this copy of runbook lives (the folder holding its package.json), so that commands can name
// the files it carries (docs/postmortems/…) by a path an on-call person can open, wherever npm put it.
// Found by walking up: the compiled file sits one folder deeper (dist/src/…) than its source (src/…).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  root = dir;
  return root;
}
