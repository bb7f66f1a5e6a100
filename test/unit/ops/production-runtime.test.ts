// production's node flags and malloc settings are defined once (scripts/production-runtime.mjs): the
// image repeats them, and the probe cost bench measures platformd's prober with them — a prober run
// under the default JIT spends less CPU than the daemon does, so its figures would flatter platformd.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { PRODUCTION_ENV, PRODUCTION_NODE_FLAGS } from '../../../scripts/production-runtime.mjs';
import { tsxCommand } from '../../bench/probe-cost.js';

t.test('the flags are the interpreter-only, small-young-generation set the idle daemon was measured with', async (t) => {
  t.same([...PRODUCTION_NODE_FLAGS], ['--max-semi-space-size=1', '--no-opt', '--no-sparkplug', '--no-maglev', '--gc-memory-reducer-start-delay-ms=1000']);
  t.same({ ...PRODUCTION_ENV }, { MALLOC_MMAP_THRESHOLD_: '16384', MALLOC_TRIM_THRESHOLD_: '0' });
});

t.test('the image runs the bundle with the same flags and environment', async (t) => {
  const final = readFileSync('Dockerfile', 'utf8').split(/^FROM /m).at(-1)!;
  const entrypoint = JSON.parse(/^ENTRYPOINT (\[.*\])$/m.exec(final)![1]!) as string[];
  t.same(entrypoint.slice(entrypoint.indexOf('node') + 1, -1), [...PRODUCTION_NODE_FLAGS], 'ENTRYPOINT: node, the flags, the bundle');
  for (const [name, value] of Object.entries(PRODUCTION_ENV)) t.match(final, new RegExp(`\\b${name}=${value}\\b`), `ENV ${name}`);
});

t.test("the probe cost bench runs platformd's prober as production runs it, and the JIT rows without the flags", async (t) => {
  const production = tsxCommand('production');
  t.same(production.nodeArgs.slice(0, PRODUCTION_NODE_FLAGS.length), [...PRODUCTION_NODE_FLAGS], 'the flags come before the script');
  t.same(production.env, { ...PRODUCTION_ENV });
  const jit = tsxCommand('default JIT');
  t.notOk(jit.nodeArgs.some((arg) => PRODUCTION_NODE_FLAGS.includes(arg)), 'no production flag in the JIT rows');
  t.same(jit.env, {});
});
