// The production build: platformd and its spec-loading worker bundled and minified into two files
// (dist/platformd.mjs, dist/platformd-load-worker.mjs) from the packages' ES module builds, so Node
// parses and keeps only the code that runs — not every module of every dependency (V8 retains the
// source of each module it loads; that was most of an idle daemon's memory). `npm run build` runs
// this after tsc; dist/cli.js (tsc's output) stays for the tests and the sandbox.
import { build } from 'esbuild';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';

// What every `platformd` runs with, chosen by measuring the idle daemon (README's Performance;
// test/bench/idle-daemon.ts). The shebang sets them for the bin; the Dockerfile repeats them.
// - glibc malloc: allocations from 16 KiB up are mmap'd and unmapped when freed, and free memory at
//   the top of the heap is returned at once. Parsing and compiling the bundle at startup leaves
//   ~50 MiB of freed compiler memory in the heap otherwise, never given back to the system.
// - V8: a 1 MiB young generation instead of up to 16 MiB per semi-space (a few more scavenges),
//   and JavaScript interpreted only (no Sparkplug, Maglev or TurboFan code, V8's size-optimized
//   heuristics): less code kept for a process that mostly waits; it costs CPU in long reconciles
//   (the figures are in README). Not --lite-mode: it implies --jitless, which on Node 20 removes
//   WebAssembly (fetch's HTTP parser) and prints a warning on every command.
const MALLOC_ENV = 'MALLOC_MMAP_THRESHOLD_=16384 MALLOC_TRIM_THRESHOLD_=0';
const NODE_FLAGS = '--max-semi-space-size=1 --optimize-for-size --no-opt --no-sparkplug --no-maglev';

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
