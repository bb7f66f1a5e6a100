// The production build: platformd and its spec-loading worker bundled and minified into two files
// (dist/platformd.mjs, dist/platformd-load-worker.mjs) from the packages' ES module builds, so Node
// parses and keeps only the code that runs — not every module of every dependency (V8 retains the
// source of each module it loads; that was most of an idle daemon's memory). `npm run build` runs
// this after tsc; dist/cli.js (tsc's output) stays for the tests and the sandbox.
import { build } from 'esbuild';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';

// V8 flags every `platformd` gets (chosen by measuring the idle daemon, see README's Performance):
// a 1 MiB young generation instead of up to 16 MiB per semi-space trades a few more scavenges for a
// smaller resident set. The shebang sets them for the bin; the Dockerfile repeats them.
const NODE_FLAGS = '--max-semi-space-size=1';

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
  }],
};

await build({ ...common, entryPoints: { platformd: 'src/cli.ts', 'platformd-load-worker': 'src/platform-spec/load-worker.ts' }, outdir: 'dist', outExtension: { '.js': '.mjs' } });

const cli = 'dist/platformd.mjs';
const body = readFileSync(cli, 'utf8').replace(/^#!.*\n/, '');
writeFileSync(cli, `#!/usr/bin/env -S node ${NODE_FLAGS}\n${body}`);
chmodSync(cli, 0o755);
