// The PrometheusRule for the operator must carry exactly the plain rules file's groups.
import t from 'tap';
import { readFileSync } from 'node:fs';
import YAML from 'yaml';

t.test('ops/kubernetes/prometheusrule.yaml wraps ops/prometheus/rules.yml unchanged', async (t) => {
  const rules = YAML.parse(readFileSync('ops/prometheus/rules.yml', 'utf8'));
  const wrapped = YAML.parse(readFileSync('ops/kubernetes/prometheusrule.yaml', 'utf8'));
  t.equal(wrapped.kind, 'PrometheusRule');
  t.same(wrapped.spec, rules, 'regenerate prometheusrule.yaml from rules.yml');
});

t.test('every alert has a summary, a description, a severity and a runbook section in README', async (t) => {
  const rules = YAML.parse(readFileSync('ops/prometheus/rules.yml', 'utf8'));
  const readme = readFileSync('README.md', 'utf8');
  const alerts = rules.groups.flatMap((g: { rules: Record<string, any>[] }) => g.rules).filter((r: any) => r.alert);
  t.ok(alerts.length >= 6);
  for (const rule of alerts) {
    t.ok(rule.annotations?.summary, `${rule.alert} summary`);
    t.ok(rule.annotations?.description, `${rule.alert} description`);
    t.ok(rule.labels?.severity, `${rule.alert} severity`);
    const anchor = `runbook-${rule.alert.toLowerCase()}`;
    t.ok(rule.annotations.runbook_url.endsWith(`#${anchor}`), `${rule.alert} runbook url`);
    t.match(readme, new RegExp(`^#### ${rule.alert}$`, 'm'), `README has a runbook heading for ${rule.alert}`);
  }
});

t.test('the kustomization lists files that exist and the Deployment is hardened', async (t) => {
  const kustomization = YAML.parse(readFileSync('ops/kubernetes/kustomization.yaml', 'utf8'));
  for (const file of kustomization.resources) t.doesNotThrow(() => readFileSync(`ops/kubernetes/${file}`), file);
  const deployment = YAML.parse(readFileSync('ops/kubernetes/deployment.yaml', 'utf8'));
  const container = deployment.spec.template.spec.containers[0];
  t.equal(container.securityContext.readOnlyRootFilesystem, true);
  t.same(container.securityContext.capabilities.drop, ['ALL']);
  t.equal(container.livenessProbe.httpGet.path, '/healthz');
  t.equal(container.readinessProbe.httpGet.path, '/readyz');
  t.ok(container.resources.requests && container.resources.limits);
  t.equal(deployment.spec.template.spec.securityContext.runAsNonRoot, true);
});
