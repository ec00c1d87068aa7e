// After tsc: @kubernetes/client-node and everything it imports as one file, dist/vendor/client-node.js.
// Two reasons. Start-up: the package is some 2,700 ES modules, which Node loads in ~0.45 s and ~85 MB,
// about twice the bundle. Node 20: client-node 2.0 asks for undici 8 (Node >= 22.19); the lockfile's
// `overrides` give it undici 7, but overrides only hold while this repository is the project being
// installed. Bundled from our locked tree, an installed copy carries undici 7 and never installs
// client-node (a devDependency) at all. No esbuild, or a failed bundle, fails the build: a package
// without this file cannot run.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as esbuild from 'esbuild';

const out = 'dist/vendor/client-node.js';
const require = createRequire(import.meta.url);
const manifestPath = require.resolve('@kubernetes/client-node/package.json');
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
const fromClientNode = createRequire(manifestPath);
const undici = JSON.parse(readFileSync(fromClientNode.resolve('undici/package.json'), 'utf8'));

// The undici bundled is the one that runs: refuse one that needs a newer Node than package.json allows.
const ours = JSON.parse(readFileSync('package.json', 'utf8')).engines.node.match(/\d+/)[0];
const needs = (undici.engines?.node ?? '').match(/\d+/)?.[0];
if (needs !== undefined && Number(needs) > Number(ours)) {
  process.stderr.write(
    `bundle-client-node: undici ${undici.version} needs Node ${undici.engines.node}, package.json promises ${ours}; ` +
      'check the `overrides` entry and run npm install\n',
  );
  process.exit(1);
}

mkdirSync(dirname(out), { recursive: true });
await esbuild.build({
  stdin: { contents: "export * from '@kubernetes/client-node';", resolveDir: process.cwd(), loader: 'js' },
  bundle: true,
  minify: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // ws's optional native speed-ups, required inside a try: absent is fine.
  external: ['bufferutil', 'utf-8-validate'],
  outfile: out,
  banner: {
    // The CommonJS inside (undici, ws, js-yaml, …) calls require() for Node's built-ins.
    js: [
      `// @kubernetes/client-node ${manifest.version} with undici ${undici.version}, bundled by scripts/bundle-client-node.mjs`,
      "import { createRequire } from 'node:module';",
      'const require = createRequire(import.meta.url);',
    ].join('\n'),
  },
  logLevel: 'warning',
});
