// The emulated load balancer controller against an in-memory cluster store (the seam world.ts
// adapts the emulated API server to) and a real in-process ELBv2 emulator.
import t from 'tap';
import { ScaledClock } from '../../../../src/sandbox/clock.js';
import { createElbv2Service } from '../../../../src/sandbox/aws/services/elbv2/index.js';
import { startLoadBalancerController } from '../../../../src/sandbox/controllers/load-balancer-controller.js';
import type { LbcClusterStore, WatchedKind, Ec2Subnet } from '../../../../src/sandbox/controllers/lbc/cluster-view.js';
import type { KubeObject } from '../../../../src/sandbox/controllers/lbc/objects.js';

const REGION = 'ap-northeast-1';
const A = 'alb.ingress.kubernetes.io/';
const CERT = 'arn:aws:acm:ap-northeast-1:123456789012:certificate/abc';

class MemoryStore implements LbcClusterStore {
  objects = new Map<string, KubeObject>();
  events: { name: string; type: string; reason: string; message: string }[] = [];
  private listeners = new Set<(k: string) => void>();
  private rv = 0;
  key(kind: string, ns: string, name: string) { return `${kind}/${ns}/${name}`; }
  put(kind: WatchedKind, o: KubeObject) {
    o.metadata.resourceVersion = String(++this.rv);
    this.objects.set(this.key(kind, o.metadata.namespace ?? '', o.metadata.name), structuredClone(o));
    for (const l of this.listeners) l(kind);
  }
  list(kind: WatchedKind, ns?: string) {
    return [...this.objects.entries()].filter(([k, o]) => k.startsWith(`${kind}/`) && (ns === undefined || o.metadata.namespace === ns)).map(([, o]) => structuredClone(o));
  }
  get(kind: WatchedKind, ns: string, name: string) {
    const o = this.objects.get(this.key(kind, ns, name));
    return o ? structuredClone(o) : undefined;
  }
  onChange(l: (k: string) => void) { this.listeners.add(l); return () => this.listeners.delete(l); }
  async patchIngressStatus(ns: string, name: string, loadBalancer: any) {
    const o = this.get('Ingress', ns, name)!;
    o.status = { loadBalancer };
    this.put('Ingress', o);
  }
  async setIngressFinalizers(ns: string, name: string, finalizers: string[]) {
    const o = this.get('Ingress', ns, name)!;
    o.metadata.finalizers = finalizers;
    if (o.metadata.deletionTimestamp && finalizers.length === 0) {
      this.objects.delete(this.key('Ingress', ns, name));
      for (const l of this.listeners) l('Ingress');
      return;
    }
    this.put('Ingress', o);
  }
  async recordEvent(o: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) {
    this.events.push({ name: o.metadata.name, type, reason, message });
  }
  delete(kind: WatchedKind, ns: string, name: string) {
    const o = this.get(kind, ns, name)!;
    if ((o.metadata.finalizers ?? []).length === 0) {
      this.objects.delete(this.key(kind, ns, name));
      for (const l of this.listeners) l(kind);
      return;
    }
    o.metadata.deletionTimestamp = new Date().toISOString();
    this.put(kind, o);
  }
}

const subnets: Ec2Subnet[] = [
  { subnetId: 'subnet-pub-a', vpcId: 'vpc-1', availabilityZone: 'ap-northeast-1a', tags: { 'kubernetes.io/role/elb': '1' } },
  { subnetId: 'subnet-pub-c', vpcId: 'vpc-1', availabilityZone: 'ap-northeast-1c', tags: { 'kubernetes.io/role/elb': '' } },
  { subnetId: 'subnet-priv-a', vpcId: 'vpc-1', availabilityZone: 'ap-northeast-1a', tags: { 'kubernetes.io/role/internal-elb': '1' } },
];

function ingress(name: string, services: string[], annotations: Record<string, string> = {}): KubeObject {
  return {
    metadata: { name, namespace: 'default', annotations: {
      [`${A}scheme`]: 'internet-facing', [`${A}target-type`]: 'ip', [`${A}backend-protocol-version`]: 'GRPC',
      [`${A}listen-ports`]: '[{"HTTPS":443}]', [`${A}certificate-arn`]: CERT, [`${A}group.name`]: 'demo', ...annotations,
    } },
    spec: { ingressClassName: 'alb', rules: [{ http: { paths: services.map((s) => ({ path: `/${s}.Svc/`, pathType: 'Prefix', backend: { service: { name: s, port: { number: 50051 } } } })) } }] },
  };
}

function setup(t: any) {
  const elb = createElbv2Service({ clock: new ScaledClock(0), accountId: '123456789012', hooks: {
    subnet: (_r, id) => { const s = subnets.find((x) => x.subnetId === id); return s && { subnetId: s.subnetId, vpcId: s.vpcId, availabilityZone: s.availabilityZone }; },
  } });
  const store = new MemoryStore();
  const lbc = startLoadBalancerController({ store, elbv2: elb, region: REGION, clusterName: 'demo', vpcId: () => 'vpc-1', subnets: () => subnets });
  t.teardown(() => lbc.stop());
  for (const s of Array.from({ length: 120 }, (_, i) => `s${i}`)) {
    store.put('Service', { metadata: { name: s, namespace: 'default' }, spec: { selector: { app: s }, ports: [{ port: 50051, targetPort: 50051 }] } });
    store.put('Pod', { metadata: { name: `${s}-0`, namespace: 'default', labels: { app: s } }, status: { podIP: '127.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] } });
  }
  const state = elb.state(REGION);
  const rules = () => [...state.rules.values()].map((r) => r.conditions[0]!.PathPatternConfig.Values).sort();
  const installLbc = () => store.put('Deployment', {
    metadata: { name: 'aws-load-balancer-controller', namespace: 'kube-system' },
    spec: { template: { spec: { containers: [{ args: ['--cluster-name=demo', '--aws-vpc-id=vpc-1'] }] } } },
    status: { conditions: [{ type: 'Available', status: 'True' }] },
  });
  return { elb, store, lbc, state, rules, installLbc };
}

t.test('builds the ALB only once the controller is installed, then follows the Ingress', async (t) => {
  const { store, lbc, state, rules, installLbc, elb } = setup(t);
  store.put('Ingress', ingress('demo', ['s1', 's0']));
  await lbc.idle();
  t.equal(state.loadBalancers.size, 0, 'no controller Deployment: nothing happens');

  installLbc();
  await lbc.idle();
  t.equal(state.loadBalancers.size, 1);
  const lb = [...state.loadBalancers.values()][0]!;
  t.same(lb.subnets.map((s) => s.subnetId), ['subnet-pub-a', 'subnet-pub-c'], 'subnets discovered by the elb role tag');
  t.same(rules(), [['/s0.Svc', '/s0.Svc/*'], ['/s1.Svc', '/s1.Svc/*']], 'Prefix paths became two path-pattern values each');
  t.ok([...state.targetGroups.values()].every((g) => g.protocolVersion === 'GRPC' && g.targetType === 'ip'));
  t.same([...state.targetGroups.values()].map((g) => g.targets.map((x) => `${x.id}:${x.port}`)), [['127.0.0.1:50051'], ['127.0.0.1:50051']]);
  const ing = store.get('Ingress', 'default', 'demo')!;
  t.equal(ing.status?.loadBalancer?.ingress?.[0]?.hostname, lb.dnsName, 'status hostname written');
  t.same(ing.metadata.finalizers, ['group.ingress.k8s.aws/demo'], 'group finalizer added');
  t.ok(store.events.some((e) => e.reason === 'SuccessfullyReconciled'));

  // A rule deleted on the ALB stays deleted until the Ingress changes (no periodic resync)…
  const victim = [...state.rules.values()].find((r) => r.priority === 1)!;
  await elb.invoke('DeleteRule', { RuleArn: victim.arn }, REGION);
  store.put('Pod', { metadata: { name: 'unrelated', namespace: 'other' }, status: {} });
  await lbc.idle();
  t.same(rules().length, 1, 'drift is not repaired on unrelated changes');
  // …and an annotation change (platformd's nudge) makes the controller repair it.
  const nudged = store.get('Ingress', 'default', 'demo')!;
  nudged.metadata.annotations!['platformd.dev/reconcile-request'] = 'now';
  store.put('Ingress', nudged);
  await lbc.idle();
  t.same(rules().length, 2, 'repaired after the nudge');

  // Adding a path adds its rule and target group.
  const more = store.get('Ingress', 'default', 'demo')!;
  more.spec = ingress('demo', ['s0', 's1', 's2']).spec;
  store.put('Ingress', more);
  await lbc.idle();
  t.equal(rules().length, 3);

  // Deleting the Ingress deletes the ALB, then releases the finalizer.
  store.delete('Ingress', 'default', 'demo');
  await lbc.idle();
  t.equal(state.loadBalancers.size, 0, 'ALB deleted');
  t.equal(state.targetGroups.size, 0, 'target groups deleted');
  t.equal(store.get('Ingress', 'default', 'demo'), undefined, 'finalizer removed, Ingress gone');
});

t.test('what the controller rejects becomes a Warning Event and no ALB change', async (t) => {
  const { store, lbc, state, installLbc } = setup(t);
  installLbc();
  store.put('Ingress', ingress('http-only', ['s0'], { [`${A}listen-ports`]: '[{"HTTP":80}]', [`${A}group.name`]: 'a' }));
  store.put('Ingress', ingress('too-many', Array.from({ length: 101 }, (_, i) => `s${i}`), { [`${A}group.name`]: 'b' }));
  store.put('Ingress', ingress('bad', ['s0'], { [`${A}scheme`]: 'public', [`${A}group.name`]: 'c' }));
  await lbc.idle();
  t.equal(state.loadBalancers.size, 0, 'nothing was created');
  t.equal(state.targetGroups.size, 0);
  const by = (name: string) => store.events.filter((e) => e.name === name && e.type === 'Warning');
  t.match(by('http-only'), [{ reason: 'FailedDeployModel', message: /UnsupportedProtocol.*GRPC/ }], 'GRPC without an HTTPS listener');
  t.match(by('too-many'), [{ reason: 'FailedDeployModel', message: /TooManyRules/ }], 'rule count over the quota');
  t.match(by('bad'), [{ reason: 'FailedBuildModel', message: /scheme/ }], 'an invalid annotation');
});
