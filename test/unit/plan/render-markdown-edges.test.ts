// Edges of the pull-request comment (render-markdown.test.ts covers the common shape): any budget
// is kept with every diff block closed, ids of unknown layers go under "Other", long values are cut
// with their length, creates show values, and operator actions are a checklist.
import t from 'tap';
import { renderPlanMarkdown } from '../../../src/plan/render-markdown.js';
import type { Change, Plan } from '../../../src/plan/types.js';

function plan(changes: Change[], extra: Partial<Plan> = {}): Plan {
  const count = (a: Change['action']) => changes.filter((c) => c.action === a).length;
  return { platform: 'grpc-demo', changes, summary: { create: count('+'), update: count('~'), delete: count('-'), replace: 0, blocked: count('!') }, inSync: [], operatorActions: [], notes: [], ...extra };
}
const change = (id: string, action: Change['action'], fields: Change['fields'] = [], extra: Partial<Change> = {}): Change =>
  ({ id, kind: 'k', action, reason: action === '!' ? 'deletion-not-allowed' : action === '+' ? 'missing' : 'drift', fields, dependsOn: [], ...extra });

t.test('every budget is kept, every opened diff block closed, and the cut counted', async (t) => {
  const changes: Change[] = [];
  for (let i = 0; i < 60; i++) {
    changes.push(change(`network/subnet/s-${i}`, '~', [{ path: 'tags.Name', old: `old-${i}`, new: `new-${i}` }]));
    changes.push(change(`kube/Deployment/default/d-${i}`, '+', [{ path: 'spec.replicas', old: null, new: 2 }]));
  }
  for (const limit of [1_500, 3_000, 8_000, 20_000]) {
    const md = renderPlanMarkdown(plan(changes), { limit });
    t.ok(md.length <= limit, `limit ${limit}: ${md.length} characters`);
    t.equal((md.match(/^```diff$/gm) ?? []).length, (md.match(/^```$/gm) ?? []).length, `limit ${limit}: diff blocks closed`);
    const shown = (md.match(/^[+!-] (network|kube)\//gm) ?? []).length;
    const cut = Number(/\*\*Truncated:\*\* (\d+) change/.exec(md)?.[1] ?? 0);
    t.equal(shown + cut, changes.length, `limit ${limit}: ${shown} shown + ${cut} counted as cut = every change`);
  }
});

t.test('an id outside the known layers goes under Other, after the layers', async (t) => {
  const md = renderPlanMarkdown(plan([change('custom/thing', '~', [{ path: 'x', old: 1, new: 2 }]), change('network/vpc', '~', [{ path: 'y', old: 1, new: 2 }])]));
  t.match(md, /<summary>Other: 1 change \(1 to update\)<\/summary>/);
  t.ok(md.indexOf('<summary>Network') < md.indexOf('<summary>Other'));
});

t.test('creates show their values; updates old → new; long values are cut with their length', async (t) => {
  const long = 'x'.repeat(1_000);
  const md = renderPlanMarkdown(plan([
    change('kube/Service/default/a', '+', [{ path: 'spec.ports', old: null, new: [{ port: 50051 }] }]),
    change('kube/ConfigMap/default/b', '~', [{ path: 'data.big', old: null, new: long }]),
  ]));
  t.match(md, /    spec\.ports = \[\{"port":50051\}\]/);
  t.match(md, /    data\.big: \(none\) → "x{299}… \(1002 characters\)/);
  t.notMatch(md, /x{400}/, 'the whole value is not in the comment');
});

t.test('operator actions are a checklist at the end, even with nothing to change', async (t) => {
  const md = renderPlanMarkdown(plan([], { operatorActions: [{ id: 'ns', summary: 'Delegate example.com' }, { id: 'done', summary: 'Validate the certificate', done: true }] }));
  t.match(md, /\*\*No changes\.\*\*/);
  t.match(md, /#### Operator actions\n\n- \[ \] Delegate example\.com\n- \[x\] Validate the certificate$/);
});

t.test('a blocked change is named with its reason, or the reason code when there is no text', async (t) => {
  const md = renderPlanMarkdown(plan([change('network/vpc', '!'), change('a`b/c', '!', [], { blockedBy: 'needs x' })]));
  t.match(md, /- `network\/vpc`: deletion-not-allowed/);
  t.match(md, /- `` a`b\/c ``: needs x/, 'a backtick in an id widens the code span');
});
