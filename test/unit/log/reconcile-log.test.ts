// The daemon's reconcile log, events in and JSON lines out: each change names its verb, id, kind and
// changed field paths; long waits, retries and failures (with their cause chain) each get a line;
// an invalid spec's diagnostics are one line each at file:line:col, never with a host path; and
// URLs carrying credentials or secret-named fields never reach the output.
import t from 'tap';
import { createLogger, humanLine } from '../../../src/log/logger.js';
import { ReconcileLog, repositoryRelative } from '../../../src/log/reconcile-log.js';
import type { Change, Plan } from '../../../src/plan/types.js';
import type { Diagnostic } from '../../../src/platform-spec/diagnostics.js';

type Line = Record<string, unknown> & { msg: string; level: string };

function capture(format: 'json' | 'human' = 'json'): { lines: string[]; parsed(): Line[]; reconcileLog: ReconcileLog; logger: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const logger = createLogger({ format, level: 'debug', destination: { write: (s: string) => { lines.push(...s.split('\n').filter(Boolean)); } } });
  return { lines, logger, reconcileLog: new ReconcileLog(logger), parsed: () => lines.map((l) => JSON.parse(l) as Line) };
}

const UPDATE: Change = { id: 'kube/Deployment/default/route-guide', kind: 'kube/Deployment', action: '~', reason: 'drift', dependsOn: [],
  fields: [{ path: 'spec.replicas', old: 2, new: 3 }, { path: 'spec.template.spec.containers[app].image', old: 'a:1', new: 'a:2' }] };
const CREATE: Change = { id: 'network/subnet/private-a', kind: 'network/subnet', action: '+', reason: 'missing', dependsOn: [],
  fields: [{ path: 'cidr', old: undefined, new: '10.0.0.0/24' }] };
const DELETE: Change = { id: 'kube/Service/default/old', kind: 'kube/Service', action: '-', reason: 'not-in-spec', dependsOn: [], fields: [] };
const PLAN: Plan = { platform: 'grpc-demo', changes: [CREATE, UPDATE, DELETE], summary: { create: 1, update: 1, delete: 1, replace: 0, blocked: 0 }, inSync: [], operatorActions: [], notes: [] };

t.test('every change is logged with its verb, id, kind and changed paths, bound to platform and commit', async (t) => {
  const { parsed, reconcileLog } = capture();
  const log = reconcileLog.forCommit('grpc-demo', '0123456789abcdef0123');
  const onEvent = reconcileLog.applyEvents(log, PLAN);
  onEvent({ type: 'change-start', id: CREATE.id, action: '+' });
  onEvent({ type: 'progress', id: CREATE.id, message: 'still creating… [20s] (subnet pending)', elapsedMs: 20_000 });
  onEvent({ type: 'change-done', id: CREATE.id, action: '+', durationMs: 21_000 });
  onEvent({ type: 'change-done', id: UPDATE.id, action: '~', durationMs: 1_200 });
  onEvent({ type: 'retry', id: DELETE.id, attempt: 1, delayMs: 2_000, error: 'Throttling: Rate exceeded' });
  onEvent({ type: 'change-failed', id: DELETE.id, action: '-', error: 'delete kube/Service/default/old: kube:DELETE: Forbidden: no', cause: 'kube:DELETE: Forbidden: no' });
  reconcileLog.reconciled(log, '0123456789abcdef0123', PLAN, { detect: false, pending: 1, failed: 1 });
  const lines = parsed();

  const created = lines.find((l) => l.msg.startsWith('created'));
  t.match(created, { level: 'info', platform: 'grpc-demo', commit: '0123456789ab', id: CREATE.id, kind: 'network/subnet', verb: 'create', paths: ['cidr'] });
  const updated = lines.find((l) => l.msg.startsWith('updated'))!;
  t.same(updated.paths, ['spec.replicas', 'spec.template.spec.containers[app].image'], 'an update carries every changed path');
  t.match(updated.msg, /^updated kube\/Deployment\/default\/route-guide \(spec\.replicas, spec\.template\.spec\.containers\[app\]\.image\) in 1\.2s$/);
  t.ok(lines.some((l) => l.msg.includes('still creating… [20s]') && l.id === CREATE.id && l.elapsedMs === 20_000), 'progress on a long wait');
  t.ok(lines.some((l) => l.level === 'warn' && l.id === DELETE.id && /attempt 1 failed \(Throttling/.test(l.msg)), 'a retry is a warning');
  const failed = lines.find((l) => l.level === 'error')!;
  t.match(failed, { verb: 'delete', id: DELETE.id, kind: 'kube/Service' });
  t.equal(failed.msg, 'delete kube/Service/default/old failed: kube:DELETE: Forbidden: no', 'the failure carries its cause chain, naming the change once');
  t.ok(lines.some((l) => l.level === 'debug' && l.msg === `create ${CREATE.id} started`), 'the start of a change is a debug line');
  const summary = lines.find((l) => l.msg.startsWith('reconciled'))!;
  t.equal(summary.msg, 'reconciled 0123456789ab: 3 changes (1 create, 1 update, 1 delete); 1 failed');
  t.match(summary, { changes: 3, create: 1, update: 1, delete: 1, failed: 1 });
});

t.test('detect mode logs what would change, and the summary says nothing was applied', async (t) => {
  const { parsed, reconcileLog } = capture();
  const log = reconcileLog.forCommit('grpc-demo', 'feedfacecafebeef');
  reconcileLog.planned(log, PLAN);
  reconcileLog.reconciled(log, 'feedfacecafebeef', PLAN, { detect: true, pending: 3, failed: 0 });
  const msgs = parsed().map((l) => l.msg);
  t.ok(msgs.includes(`would update ${UPDATE.id} (spec.replicas, spec.template.spec.containers[app].image)`));
  t.ok(msgs.includes(`would delete ${DELETE.id}`));
  t.ok(msgs.includes('reconciled feedfacecafe: 3 changes (1 create, 1 update, 1 delete); not applied (detect mode)'));
});

t.test('an invalid spec: every diagnostic on its own line at a repository-relative file:line:col', async (t) => {
  const { parsed, reconcileLog } = capture();
  const checkout = '/var/tmp/platformd-123/checkout';
  const diagnostics: Diagnostic[] = [
    { severity: 'error', code: 'SPEC_SCHEMA', summary: 'version must be "1"', path: '/version', file: 'specs/platform.yaml', line: 1, column: 10 },
    { severity: 'error', code: 'SPEC_PROTO', summary: 'cannot parse', detail: 'unexpected token', path: '', file: `${checkout}/protos/a.proto`, line: 3, column: 2 },
    { severity: 'warning', code: 'SPEC_UNUSED', summary: 'unused', path: '/x', file: '/elsewhere/secret/dir/b.yaml', line: 4, column: 1 },
  ];
  reconcileLog.invalidSpec(reconcileLog.forCommit('grpc-demo', 'abc'), 'abc', diagnostics, 'main@sha1:good', checkout);
  const lines = parsed();
  t.equal(lines.length, 4, 'a summary and one line per diagnostic');
  t.match(lines[0]!.msg, /spec at abc is invalid \(2 errors\); the last good spec \(main@sha1:good\) stays in force/);
  t.equal(lines[1]!.msg, 'specs/platform.yaml:1:10: error: version must be "1" (at /version)');
  t.equal(lines[2]!.msg, 'protos/a.proto:3:2: error: cannot parse — unexpected token');
  t.match(lines[2], { file: 'protos/a.proto', line: 3, column: 2, code: 'SPEC_PROTO', level: 'error' });
  t.equal(lines[3]!.level, 'warn');
  const all = JSON.stringify(lines);
  t.notOk(all.includes(checkout) || all.includes('/elsewhere/'), 'no host path in the log');
  t.equal(repositoryRelative('specs/platform.yaml'), 'specs/platform.yaml');
});

t.test('secrets never reach the log: URLs lose their user-info, secret-named fields are censored', async (t) => {
  const { lines, logger } = capture();
  logger.info({ repo: 'https://bob:hunter2@git.example.com/x.git', token: 'tok-SECRET', headers: { authorization: 'Bearer SECRET' } }, 'clone of https://bob:hunter2@git.example.com/x.git failed');
  const out = lines.join('\n');
  t.notOk(/hunter2|SECRET/.test(out), out);
  t.match(out, /https:\/\/\*\*\*@git\.example\.com/);
});

t.test('human lines for a terminal; the URL stays in the message', async (t) => {
  const { lines, logger } = capture('human');
  logger.info('platformd 1.0 listening on http://127.0.0.1:8080');
  logger.error({ error: 'x: y' }, 'reconcile failed');
  t.match(lines[0], /^\d\d:\d\d:\d\d platformd 1\.0 listening on http:\/\/127\.0\.0\.1:8080$/);
  t.match(lines[1], /^\d\d:\d\d:\d\d ERROR reconcile failed error="x: y"$/);
  t.equal(humanLine('not json'), 'not json');
});

t.test('an update says which side moved: the origin field, the paths changed outside, and the message', async (t) => {
  const { parsed, reconcileLog } = capture();
  const log = reconcileLog.forCommit('grpc-demo', '0123456789abcdef0123');
  const both: Change = { ...UPDATE, origin: 'both', fieldOrigins: { 'spec.replicas': 'outside', 'spec.template.spec.containers[app].image': 'spec' } };
  const outside: Change = { ...UPDATE, id: 'kube/Deployment/default/other', origin: 'outside', fields: [UPDATE.fields[0]!], fieldOrigins: { 'spec.replicas': 'outside' } };
  const plan: Plan = { ...PLAN, changes: [both, outside] };
  reconcileLog.applyEvents(log, plan)({ type: 'change-done', id: both.id, action: '~', durationMs: 1_200 });
  reconcileLog.planned(log, plan);
  const lines = parsed();
  t.match(lines[0], { origin: 'both', changedOutside: ['spec.replicas'] });
  t.match(lines[0]!.msg, /in 1\.2s \(the spec changed, and the object was also changed outside platformd\)$/);
  const wouldUpdate = lines.find((l) => l.id === outside.id)!;
  t.match(wouldUpdate, { origin: 'outside', changedOutside: ['spec.replicas'] });
  t.match(wouldUpdate.msg, /^would update kube\/Deployment\/default\/other \(spec\.replicas\) \(changed outside platformd\)$/);
});
