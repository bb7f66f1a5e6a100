// The production build: platformd and its spec-loading worker bundled and minified into two files
// (dist/platformd.mjs, dist/platformd-load-worker.mjs) from the packages' ES module builds, so Node
// parses and keeps only the code that runs — not every module of every dependency (V8 retains the
// source of each module it loads; that was most of an idle daemon's memory). `npm run build` runs
// this after tsc; dist/cli.js (tsc's output) stays for the tests and the sandbox.
import { build } from 'esbuild';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { PRODUCTION_ENV, PRODUCTION_NODE_FLAGS } from './production-runtime.mjs';

// The shebang carries the environment and V8 flags every `platformd` runs with (defined, and why, in
// scripts/production-runtime.mjs).
const MALLOC_ENV = Object.entries(PRODUCTION_ENV).map(([name, value]) => `${name}=${value}`).join(' ');
const NODE_FLAGS = PRODUCTION_NODE_FLAGS.join(' ');

// Bundled CommonJS dependencies call require() for Node built-ins (and protobufjs probes optional
// modules with it); ES modules have no require, so the bundle makes one.
const requireShim = "import { createRequire as __platformdRequire } from 'node:module'; const require = __platformdRequire(import.meta.url);";

const common = {
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // The SDK's and other dual packages' ES module builds tree-shake; their CommonJS builds do not.
  mainFields: ['module', 'main'],
  conditions: ['module', 'import'],
  banner: { js: requireShim },
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [{
    // The sandbox and the demo are not part of the product: their commands import tsc's build of
    // them (dist/cli-sandbox.js, dist/cli-demo.js) when present, and say "not in this build" when not.
    name: 'sandbox-stays-outside',
    setup(b) {
      b.onResolve({ filter: /^\.\/cli-(sandbox|demo)\.js$/ }, (args) => ({ path: args.path, external: true }));
    },
  }, {
    // node-fetch 2 (the Kubernetes client's HTTP) takes `Url.URL || whatwgUrl.URL`: Node's own URL
    // whenever it exists, as it does on every Node platformd supports. Its whatwg-url fallback pulls
    // in tr46's IDNA table, 1.6 MB of live heap for code that never runs; the bundle gives it Node's URL.
    name: 'whatwg-url-is-node-url',
    setup(b) {
      b.onResolve({ filter: /^whatwg-url$/ }, () => ({ path: 'whatwg-url', namespace: 'node-url' }));
      b.onLoad({ filter: /.*/, namespace: 'node-url' }, () => ({ contents: 'export default { URL: globalThis.URL }; export const URL = globalThis.URL;', loader: 'js' }));
    },
  }],
};

await build({ ...common, entryPoints: { platformd: 'src/cli.ts', 'platformd-load-worker': 'src/platform-spec/load-worker.ts' }, outdir: 'dist', outExtension: { '.js': '.mjs' } });

// V8 keeps a script's source for its lifetime, as UTF-16 if any character is not ASCII: one "—"
// doubles the 4.5 MB bundle's retained source. esbuild escapes non-ASCII text everywhere but in
// tagged templates (an escape changes a template's .raw); platformd's only tag, the status page's
// html``, reads the cooked strings, for which \u escapes are the same text.
const asciiOnly = (code) => code.replace(/[^\x00-\x7f]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);

for (const file of ['dist/platformd.mjs', 'dist/platformd-load-worker.mjs']) writeFileSync(file, asciiOnly(readFileSync(file, 'utf8')));
const cli = 'dist/platformd.mjs';
const body = readFileSync(cli, 'utf8').replace(/^#!.*\n/, '');
writeFileSync(cli, `#!/usr/bin/env -S ${MALLOC_ENV} node ${NODE_FLAGS}\n${body}`);
chmodSync(cli, 0o755);
