// The status page's "Reconciling now" follows the progress the engine's events build: what phase
// the reconcile is in, the counts, each change under way with its latest message (escaped).
import t from 'tap';
import { pageContent } from '../../../src/server/status-page/sections.js';
import type { DaemonStatus } from '../../../src/daemon-status.js';

function status(patch: Partial<DaemonStatus>): DaemonStatus {
  return {
    mode: 'apply', branch: 'main', commit: null, spec: { valid: true, commit: null, lastGoodCommit: null, diagnostics: [] }, conditions: [],
    lastAppliedRevision: null, lastAttemptedRevision: null, lastSuccessAt: null, retry: null, reconciling: false, reconciles: [], lastReconcile: null,
    resources: [], operatorActions: [], probes: [], source: { lastFetchAt: null, lastFetchError: null, fetches: 0 }, ...patch,
  };
}
const page = (s: DaemonStatus) => pageContent({ status: s, history: [], now: Date.now(), historyWindowMs: 3_600_000 }).text;

t.test('idle, reading and applying read differently', async (t) => {
  t.match(page(status({})), '<dt>Reconciling now</dt><dd>no</dd>');
  t.match(page(status({ reconciling: true })), '<dt>Reconciling now</dt><dd>yes</dd>', 'a status without progress (older clients of the type) still reads');
  const at = '2026-11-30T10:00:00.000Z';
  t.match(page(status({ reconciling: true, progress: { phase: 'observing', kinds: { observed: 4, total: 22 }, changes: { done: 0, failed: 0, skipped: 0 }, inFlight: [], retries: 0, updatedAt: at } })),
    'yes — reading live state: 4/22 kinds');
  const applying = page(status({ reconciling: true, progress: { phase: 'applying', kinds: { observed: 22, total: 22 }, changes: { done: 2, failed: 1, skipped: 3 }, retries: 4, updatedAt: at,
    inFlight: [{ id: 'eks/cluster', action: '+', startedAt: at, message: 'still creating… [40s] (<b>CREATING</b>)' }] } }));
  t.match(applying, 'yes — applying: 2 done, 1 failed, 3 skipped, 4 retried call(s)');
  t.match(applying, '<li><code>eks/cluster</code>: still creating… [40s] (&lt;b&gt;CREATING&lt;/b&gt;)</li>', 'the change under way with its message, escaped');
});
