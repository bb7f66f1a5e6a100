// 150 services exceed the ALB's 100 rules: the plan creates two ingress groups (two Ingresses,
// two ALB read-backs) and says so in a note, in the plan data and in its text.
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestSandbox } from '../helpers/sandbox.js';
import { referenceSpec } from '../helpers/specs.js';
import { planPlatform } from '../../src/engine.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import { renderPlanText } from '../../src/plan/render-text.js';

t.test('a plan for 150 services announces two ingress groups', async (t) => {
  const protosDir = mkdtempSync(join(tmpdir(), 'protos-'));
  t.teardown(() => rmSync(protosDir, { recursive: true, force: true }));
  const names = Array.from({ length: 150 }, (_, i) => `Svc${String(i).padStart(3, '0')}`);
  writeFileSync(join(protosDir, 'many.proto'), `syntax = "proto3";\npackage many;\nmessage M {}\n${names.map((n) => `service ${n} { rpc Call(M) returns (M); }`).join('\n')}\n`);
  const spec = await referenceSpec((s) => {
    s.services = names.map((n) => ({ name: n.toLowerCase(), image: 'public.ecr.aws/platformd/echo:1.0.0', port: 50051, replicas: 1, grpcService: `many.${n}`, healthService: false, namespace: 'default', env: {} }));
  });
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const { plan } = await planPlatform({ spec, aws: sb.clients, kube: clusterAccessFor(spec, sb.clients), protosDir });

  t.same(plan.changes.filter((c) => c.kind === 'kube/Ingress' || c.kind === 'elbv2/alb').map((c) => `${c.action} ${c.id}`),
    ['+ kube/Ingress/default/grpc-demo-1', '+ kube/Ingress/default/grpc-demo-2', '+ edge/alb/grpc-demo-1', '+ edge/alb/grpc-demo-2']);
  const note = plan.notes.find((n) => n.includes('ingress groups'));
  t.match(note, /^150 services exceed 100 ALB rules per load balancer: split into 2 ingress groups, one ALB each — grpc-demo-1: 100 \(svc000 … svc099\); grpc-demo-2: 50 \(svc100 … svc149\)\. grpc\.example\.com points at grpc-demo-1's ALB; the other groups have only their own ALB DNS names$/);
  t.match(renderPlanText(plan), /note: 150 services exceed 100 ALB rules/, 'the text plan says so too');
});
