// The production build: platformd and its spec-loading worker bundled, tree-shaken and minified
// (dist/platformd.mjs, dist/platformd-load-worker.mjs and the dist/platformd-*.mjs chunks they
// import) from the packages' ES module builds, so Node parses and keeps only the code that runs —
// not every module of every dependency (V8 retains the
// source of each module it loads; that was most of an idle daemon's memory). `npm run build` runs
// this after tsc; dist/cli.js (tsc's output) stays for the tests and the sandbox.
import { build } from 'esbuild';
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  }, {
    // Each AWS SDK client lists every operation's shapes in one schemas module (EC2: 700 KB), and
    // writes member traits as `{ [_xN]: "..." }`: computed keys from string constants of the same
    // module. esbuild cannot prove a computed key free of side effects (a key is converted with
    // toString), so it kept every shape of every operation — all of EC2's 2,580 for the dozen
    // platformd calls. The constants are plain strings: the same keys written literally are the same
    // objects, and the shapes no command of ours reaches are dropped.
    name: 'sdk-schemas-tree-shake',
    setup(b) {
      b.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ }, (args) => {
        const code = readFileSync(args.path, 'utf8');
        const constants = new Map([...code.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)].map((m) => [m[1], m[2]]));
        return { contents: code.replace(/\[(_\w+)\]:/g, (key, name) => (constants.has(name) ? `${constants.get(name)}:` : key)), loader: 'js' };
      });
    },
  }],
};

// Split at the CLI's lazy `import()` of each command: in one file, esbuild wraps every module a
// dynamic import reaches in a lazy initialiser and tree-shakes none of them (the whole EC2 client
// came along for a dozen calls); split, each command's code is its own module and unused code goes.
// A command loads only its own chunks (`platformd version` parses none of the AWS SDK). The chunks
// sit beside platformd.mjs (code that finds files by import.meta.url — the spec worker, the schema —
// resolves them from dist/ as before); a build first removes the previous build's chunks.
const CHUNK = /^platformd-.+-[A-Z0-9]{8}\.mjs(\.map)?$/;
for (const file of readdirSync('dist', { withFileTypes: true })) if (file.isFile() && CHUNK.test(file.name)) rmSync(join('dist', file.name));
const { metafile } = await build({
  ...common,
  entryPoints: { platformd: 'src/cli.ts', 'platformd-load-worker': 'src/platform-spec/load-worker.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'platformd-[name]-[hash]',
  metafile: true,
});
const builtFiles = () => Object.keys(metafile.outputs).filter((file) => file.endsWith('.mjs'));

// V8 keeps a script's source for its lifetime, as UTF-16 if any character is not ASCII: one "—"
// doubles the bundle's retained source. esbuild escapes non-ASCII text everywhere but in
// tagged templates (an escape changes a template's .raw); platformd's only tag, the status page's
// html``, reads the cooked strings, for which \u escapes are the same text.
const asciiOnly = (code) => code.replace(/[^\x00-\x7f]/gu, (c) => `\\u{${c.codePointAt(0).toString(16)}}`);

for (const file of builtFiles()) writeFileSync(file, asciiOnly(readFileSync(file, 'utf8')));
const cli = 'dist/platformd.mjs';
const body = readFileSync(cli, 'utf8').replace(/^#!.*\n/, '');
writeFileSync(cli, `#!/usr/bin/env -S ${MALLOC_ENV} node ${NODE_FLAGS}\n${body}`);
chmodSync(cli, 0o755);
