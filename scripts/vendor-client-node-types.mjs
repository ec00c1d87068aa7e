// After tsc: the declarations of the @kubernetes/client-node objects that dist's .d.ts files name
// (V1Pod, V1Node, …), copied into dist/vendor/client-node-types/ with every model they refer to, and
// those .d.ts imports pointed there. client-node is bundled, never installed with the package (see
// bundle-client-node.mjs), so without this a team's editor would see each of them as `any`.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';

const out = 'dist/vendor/client-node-types';
const require = createRequire(import.meta.url);
const clientNode = dirname(require.resolve('@kubernetes/client-node/package.json'));
const models = join(clientNode, 'dist', 'gen', 'models');
const isModel = (name) => existsSync(join(models, `${name}.d.ts`));

/** Every .d.ts under dist/ but the vendor folder. */
function declarations(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path.startsWith(join('dist', 'vendor')) ? [] : declarations(path);
    return entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const IMPORT = /^(import|export) type \{([^}]*)\} from '@kubernetes\/client-node';$/gm;
const namesOf = (list) =>
  list
    .split(',')
    .map((n) => n.trim().split(/\s+as\s+/)[0])
    .filter((n) => n !== '');

// The files to rewrite: those whose client-node imports name models only (not KubeConfig, the APIs…).
const roots = new Set();
const rewrite = [];
for (const file of declarations('dist')) {
  const text = readFileSync(file, 'utf8');
  const lists = [...text.matchAll(IMPORT)].map((m) => namesOf(m[2]));
  if (lists.length === 0 || !lists.every((names) => names.every(isModel))) continue;
  for (const names of lists) for (const name of names) roots.add(name);
  rewrite.push(file);
}

// Each model and those it refers to; the two it takes from client-node's types.ts, written out.
const copied = new Set();
const pending = [...roots];
mkdirSync(join(out, 'gen', 'models'), { recursive: true });
while (pending.length > 0) {
  const name = pending.pop();
  if (copied.has(name)) continue;
  copied.add(name);
  const source = join(models, `${name}.d.ts`);
  copyFileSync(source, join(out, 'gen', 'models', `${name}.d.ts`));
  for (const [, next] of readFileSync(source, 'utf8').matchAll(/from '\.\.\/models\/([A-Za-z0-9]+)\.js'/g))
    if (!copied.has(next)) pending.push(next);
}
writeFileSync(
  join(out, 'types.d.ts'),
  'export type IntOrString = number | string;\nexport declare class V1MicroTime extends Date {\n    toISOString(): string;\n}\n',
);
writeFileSync(
  join(out, 'index.d.ts'),
  `${[...roots]
    .sort()
    .map((name) => `export { ${name} } from './gen/models/${name}.js';`)
    .join('\n')}\n`,
);
copyFileSync(join(clientNode, 'LICENSE'), join(out, 'LICENSE'));
const version = JSON.parse(readFileSync(join(clientNode, 'package.json'), 'utf8')).version;
writeFileSync(
  join(out, 'README.md'),
  `Type declarations of @kubernetes/client-node ${version} (Apache-2.0, LICENSE beside this file): the\nobjects runbook's own declarations name. Copied by scripts/vendor-client-node-types.mjs.\n`,
);

for (const file of rewrite) {
  const to = relative(dirname(file), join(out, 'index.js')).split(sep).join('/');
  const text = readFileSync(file, 'utf8').replace(IMPORT, (line) =>
    line.replace("'@kubernetes/client-node'", `'${to.startsWith('.') ? to : `./${to}`}'`),
  );
  writeFileSync(file, text);
}
process.stdout.write(
  `vendor-client-node-types: ${copied.size} declarations for ${roots.size} objects, ${rewrite.length} files pointed at them\n`,
);
