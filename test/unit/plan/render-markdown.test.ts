// The plan as a pull-request comment: counts, blocked changes first and all named, a section per
// layer, and never over GitHub's 65,536-character limit, with a note when details were cut.
import t from 'tap';
import { MARKDOWN_LIMIT, PLAN_COMMENT_MARKER, renderPlanMarkdown } from '../../../src/plan/render-markdown.js';
import type { Change, Plan } from '../../../src/plan/types.js';

function plan(changes: Change[]): Plan {
  const count = (a: string) => changes.filter((c) => c.action === a).length;
  return { platform: 'grpc-demo', changes, summary: { create: count('+'), update: count('~'), delete: count('-'), replace: count('-/+'), blocked: count('!') }, inSync: [], operatorActions: [], notes: [] };
}
const change = (id: string, action: Change['action'], fields: Change['fields'] = [], extra: Partial<Change> = {}): Change =>
  ({ id, kind: 'k', action, reason: action === '!' ? 'deletion-not-allowed' : 'drift', fields, dependsOn: [], ...extra });

t.test('counts, blocked first, one section per layer', async (t) => {
  const md = renderPlanMarkdown(plan([
    change('kube/Deployment/default/route-guide', '~', [{ path: 'spec.replicas', old: 2, new: 3 }]),
    change('network/vpc', '!', [], { blockedBy: 'set deletion.allow: [network] to delete it' }),
    change('edge/record/grpc.example.com/A', '+', [{ path: 'alias', old: undefined, new: 'alb-1' }]),
  ]), { title: 'specs/platform.yaml' });
  t.ok(md.startsWith(PLAN_COMMENT_MARKER), 'carries the marker CI finds its comment by');
  t.match(md, /\*\*1\*\* to create, \*\*1\*\* to update, \*\*0\*\* to delete, \*\*0\*\* to replace, \*\*1\*\* blocked/);
  t.ok(md.indexOf('Blocked (1)') < md.indexOf('<details>'), 'blocked changes come before the details');
  t.match(md, /- `network\/vpc`: set deletion.allow: \[network\] to delete it/);
  t.match(md, /<summary>Cluster objects: 1 change \(1 to update\)<\/summary>[\s\S]*```diff\n! kube\/Deployment\/default\/route-guide[\s\S]*spec\.replicas: 2 → 3/);
  t.match(md, /<summary>ALB, certificate and DNS: 1 change/);
  t.match(renderPlanMarkdown(plan([])), /\*\*No changes\.\*\*/);
});

t.test('a 300-service change stays under the limit and names every blocked change', async (t) => {
  const changes: Change[] = [];
  for (let i = 0; i < 300; i++) {
    changes.push(change(`kube/Deployment/default/svc-${i}`, '~', [{ path: 'spec.template.spec.containers[app].image', old: `registry.example.com/team/svc-${i}:1.0.0`, new: `registry.example.com/team/svc-${i}:1.1.0` }]));
    changes.push(change(`kube/Service/default/svc-${i}`, '+', [{ path: 'spec', old: undefined, new: { ports: [{ port: 50051, targetPort: 50051, protocol: 'TCP', name: 'grpc' }], selector: { app: `svc-${i}` } } }]));
    changes.push(change(`iam/role/irsa-svc-${i}`, '!', [], { blockedBy: `set deletion.allow: [iam] to delete it (svc-${i})` }));
  }
  const md = renderPlanMarkdown(plan(changes));
  t.ok(md.length <= MARKDOWN_LIMIT, `${md.length} characters`);
  for (let i = 0; i < 300; i++) if (!md.includes(`iam/role/irsa-svc-${i}\``)) t.fail(`blocked change ${i} not named`);
  t.match(md, /> \*\*Truncated:\*\* \d+ changes not shown/, 'says what was cut and where to see it');
  t.equal((md.match(/```diff/g) ?? []).length, (md.match(/\n```\n/g) ?? []).length, 'every diff block is closed');
});

t.test('values cannot break out of the diff block', async (t) => {
  const md = renderPlanMarkdown(plan([change('kube/ConfigMap/default/x', '~', [{ path: 'data.x', old: 'a', new: '```\n<script>' }])]));
  t.equal((md.match(/^```/gm) ?? []).length, 2, 'only the block\'s own fences start a line');
});

t.test('an update says which side moved; with both, the fields changed outside are marked', async (t) => {
  const md = renderPlanMarkdown(plan([
    change('kube/Deployment/default/route-guide', '~', [{ path: 'spec.replicas', old: 2, new: 5 }, { path: 'spec.template.spec.containers[app].image', old: 'a:1', new: 'a:2' }],
      { origin: 'both', fieldOrigins: { 'spec.replicas': 'outside', 'spec.template.spec.containers[app].image': 'spec' } }),
    change('network/vpc', '~', [{ path: 'enableDnsHostnames', old: false, new: true }], { origin: 'outside' }),
  ]));
  t.match(md, /! kube\/Deployment\/default\/route-guide  \(update: drift\)  # the spec changed and the object was also changed outside platformd\n {4}spec\.replicas: 2 → 5  # changed outside platformd\n {4}spec\.template\.spec\.containers\[app\]\.image: "a:1" → "a:2"\n/);
  t.match(md, /! network\/vpc  \(update: drift\)  # changed outside platformd; will be set back to the spec\n/);
});
