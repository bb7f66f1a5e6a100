// The daemon's no-op reconcile lists no Kubernetes kind: its access watches them
// (src/cloud/kube-watch.ts), so the no-op costs README's formula with `kubeWatched` (the AWS
// calls alone) — with 100 foreign Namespaces and Deployments in the cluster too — while a change
// made outside platformd still reaches the next plan, through the watch, with no list.
import t from 'tap';
import { startTestSandbox } from '../helpers/sandbox.js';
import { noopCalls, noopCallTerms, shapeOf } from '../helpers/noop-calls.js';
import { generatePlatform } from '../bench/generate.js';
import { clusterAccessFor } from '../../src/cloud/cluster-access.js';
import { applyPlatform, planPlatform } from '../../src/engine.js';
import { countedPlan } from '../helpers/counted-plan.js';
import { loadSpecFile } from '../../src/platform-spec/load.js';
import { withDefaults } from '../../src/platform-spec/defaults.js';
import { until } from '../helpers/until.js';

const kubeCalls = (calls: Record<string, number>) => Object.entries(calls).filter(([k]) => k.startsWith('kubernetes:')).map(([k, n]) => `${k}×${n}`);

t.test('3 services, the daemon\'s access: a no-op reconcile makes no Kubernetes call, and still sees a change made outside', async (t) => {
  const sb = await startTestSandbox();
  t.teardown(sb.close);
  const platform = generatePlatform(3);
  const loaded = await loadSpecFile(platform.specPath, { protosDir: platform.protosDir });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  const spec = withDefaults(loaded.spec);
  const kube = clusterAccessFor(spec, sb.clients, { watch: true });
  t.teardown(() => kube.watched?.close());
  const opts = { spec, aws: sb.clients, kube, protosDir: platform.protosDir };
  t.same((await applyPlatform(opts)).failed, [], 'converged');
  // The plan after an apply lists the kinds the apply wrote (and opens their watches).
  await planPlatform(opts);
  const quiet = await countedPlan(opts);
  t.same(quiet.result.plan.changes, [], 'a no-op plan');
  const formula = noopCalls(shapeOf(quiet.result.graph), { kubeWatched: true });
  t.same(kubeCalls(quiet.calls), [], 'no Kubernetes call');
  t.equal(quiet.total, formula, `the formula's ${formula} calls (${JSON.stringify(noopCallTerms(shapeOf(quiet.result.graph), { kubeWatched: true }))}; measured: ${JSON.stringify(quiet.calls)})`);

  // Other people's objects in the cluster: the watches hear of them, no reconcile lists them.
  const cluster = sb.kube.clusters.get(spec.cluster!.name)!;
  const namespaceRes = cluster.store.resource('v1', 'Namespace')!;
  const deploymentRes = cluster.store.resource('apps/v1', 'Deployment')!;
  for (let i = 0; i < 100; i++) {
    cluster.store.create(namespaceRes, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `foreign-${i}` } });
    cluster.store.create(deploymentRes, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `foreign-${i}`, namespace: `foreign-${i}`, labels: { app: 'theirs' } },
      spec: { replicas: 0, selector: { matchLabels: { app: 'theirs' } }, template: { metadata: { labels: { app: 'theirs' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } });
  }
  const crowded = await countedPlan(opts);
  t.same(crowded.result.plan.changes, [], 'still a no-op plan');
  t.equal(crowded.total, formula, `flat with 200 foreign Kubernetes objects (measured: ${JSON.stringify(crowded.calls)})`);

  // A change made outside platformd (kubectl scale): the next plan sees it through the watch.
  const ours = cluster.store.list(deploymentRes, undefined, 'platformd.dev/platform').find((d) => d.metadata.labels?.['app.kubernetes.io/name'] !== 'aws-load-balancer-controller') ?? cluster.store.list(deploymentRes, undefined, 'platformd.dev/platform')[0]!;
  cluster.store.mergePatch(deploymentRes, ours.metadata.namespace, ours.metadata.name, { spec: { replicas: 7 } }, false, { manager: 'kubectl-scale' });
  const drifted = await until('the plan to see the scaled Deployment', async () => {
    const p = await countedPlan(opts);
    return p.result.plan.changes.some((c) => c.id.includes(ours.metadata.name)) ? p : undefined;
  });
  t.same(kubeCalls(drifted.calls), [], `the change made outside is planned (${drifted.result.plan.changes.map((c) => c.id).join(', ')}) with no Kubernetes list`);
});
