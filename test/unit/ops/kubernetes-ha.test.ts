// ops/kubernetes runs platformd highly available: two replicas kept apart, leader election on, a
// disruption budget, and the RBAC leader election needs on Leases in its namespace.
import t from 'tap';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';

const read = (file: string) => YAML.parseAllDocuments(readFileSync(`ops/kubernetes/${file}`, 'utf8')).map((d) => d.toJS() as Record<string, any>);

t.test('two replicas with leader election, anti-affinity, a PDB and Lease RBAC', async (t) => {
  const [deployment] = read('deployment.yaml');
  const pod = deployment!.spec.template;
  t.equal(deployment!.spec.replicas, 2);
  t.ok(pod.spec.containers[0].args.includes('--leader-elect'), 'run --leader-elect');
  const anti = pod.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0];
  t.same(anti.labelSelector.matchLabels, pod.metadata.labels, 'keeps its own pods apart');
  t.equal(anti.topologyKey, 'kubernetes.io/hostname');
  t.same(deployment!.spec.strategy.rollingUpdate, { maxSurge: 0, maxUnavailable: 1 }, 'a rollout never needs a third node');

  const [pdb] = read('poddisruptionbudget.yaml');
  t.same(pdb!.spec.selector.matchLabels, pod.metadata.labels, 'the PDB selects the pods');
  t.equal(pdb!.spec.maxUnavailable, 1);

  const [role, binding] = read('role.yaml');
  const rule = role!.rules.find((r: { resources: string[] }) => r.resources.includes('leases'));
  t.same(rule.apiGroups, ['coordination.k8s.io']);
  for (const verb of ['get', 'create', 'update']) t.ok(rule.verbs.includes(verb), `leases: ${verb}`);
  t.equal(role!.kind, 'Role', 'namespaced: only its own namespace');
  t.same(binding!.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role!.metadata.name });
  t.match(binding!.subjects, [{ kind: 'ServiceAccount', name: pod.spec.serviceAccountName, namespace: 'platformd' }]);

  const [kustomization] = read('kustomization.yaml');
  for (const file of ['poddisruptionbudget.yaml', 'role.yaml']) t.ok(kustomization!.resources.includes(file), `kustomization lists ${file}`);
});
