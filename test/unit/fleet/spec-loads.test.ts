// Spec loads off the event loop (src/platform-spec/load-isolated.ts) are bounded per process: many at once (a fleet's first commit)
// queue behind MAX_CONCURRENT_SPEC_LOADS workers and all finish, none refused for the deadline.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { loadSpecTextIsolated } from '../../../src/platform-spec/load-isolated.js';
import { defaultProtosDir } from '../../../src/protos-dir.js';

t.test('twelve loads at once all finish', async (t) => {
  const text = readFileSync('specs/platform.yaml', 'utf8');
  const results = await Promise.all(Array.from({ length: 12 }, (_, i) => loadSpecTextIsolated(text.replace('name: grpc-demo', `name: p${i}`), `p${i}.yaml`, { protosDir: defaultProtosDir() })));
  t.same(results.map((r) => r.ok), Array(12).fill(true), 'every spec valid, none refused for taking too long');
  t.same(results.map((r) => (r.ok ? r.spec.metadata.name : '')), Array.from({ length: 12 }, (_, i) => `p${i}`), 'each load answered with its own spec');
});
