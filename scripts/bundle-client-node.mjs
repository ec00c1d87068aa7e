// After tsc: @kubernetes/client-node as one file, dist/vendor/client-node.js. The package is some
// 2,700 ES modules; Node takes ~0.45 s and ~85 MB to load them one by one, and about half of both
// as one bundle. Its own dependencies (undici, ws, …) stay external, loaded from node_modules as
// before. Without esbuild (it comes with tsx), nothing is written and the CLI loads the package.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const out = 'dist/vendor/client-node.js';
const require = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(require.resolve('@kubernetes/client-node/package.json'), 'utf8'));

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  rmSync(out, { force: true });
  process.stdout.write(
    `bundle-client-node: no esbuild, ${out} not written (the package is loaded instead)\n`,
  );
  process.exit(0);
}

mkdirSync('dist/vendor', { recursive: true });
await esbuild.build({
  stdin: { contents: "export * from '@kubernetes/client-node';", resolveDir: process.cwd(), loader: 'js' },
  bundle: true,
  minify: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: Object.keys(manifest.dependencies ?? {}),
  outfile: out,
  banner: { js: `// @kubernetes/client-node ${manifest.version}, bundled by scripts/bundle-client-node.mjs` },
  logLevel: 'warning',
});
