// The kubeconfig and ExecCredential documents, as kubectl's exec plugin contract reads them.
import t from 'tap';
import { parse } from 'yaml';
import { execCredential, renderKubeconfig, requestedApiVersion } from '../../../src/cloud/kubeconfig.js';

const input = {
  clusterName: 'grpc-demo', clusterArn: 'arn:aws:eks:ap-northeast-1:123456789012:cluster/grpc-demo',
  endpoint: 'https://127.0.0.1:6443', certificateAuthorityData: 'LS0tLS1CRUdJTi==', region: 'ap-northeast-1',
};

t.test('the kubeconfig: one context, the cluster from DescribeCluster, an exec user running platformd token', async (t) => {
  const doc = parse(renderKubeconfig(input)) as Record<string, any>;
  t.equal(doc['current-context'], input.clusterArn);
  t.same(doc.clusters, [{ name: input.clusterArn, cluster: { server: input.endpoint, 'certificate-authority-data': input.certificateAuthorityData } }]);
  t.same(doc.contexts, [{ name: input.clusterArn, context: { cluster: input.clusterArn, user: input.clusterArn } }]);
  t.same(doc.users[0].user.exec, {
    apiVersion: 'client.authentication.k8s.io/v1', command: 'platformd',
    args: ['token', '--cluster', 'grpc-demo', '--region', 'ap-northeast-1'], interactiveMode: 'Never',
  }, 'v1 needs interactiveMode; the plugin never prompts');
});

t.test('v1beta1 for older kubectl, without the v1-only field; another command', async (t) => {
  const exec = (parse(renderKubeconfig({ ...input, execApiVersion: 'client.authentication.k8s.io/v1beta1', execCommand: '/opt/bin/platformd' })) as Record<string, any>).users[0].user.exec;
  t.equal(exec.apiVersion, 'client.authentication.k8s.io/v1beta1');
  t.equal(exec.command, '/opt/bin/platformd');
  t.notOk('interactiveMode' in exec);
});

t.test('the ExecCredential answers in the version kubectl asks for', async (t) => {
  const token = { token: 'k8s-aws-v1.abc', expiresAt: Date.UTC(2026, 10, 30, 8, 14, 0, 123) };
  const v1 = JSON.parse(execCredential(token, '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":false}}'));
  t.same(v1, { kind: 'ExecCredential', apiVersion: 'client.authentication.k8s.io/v1', spec: {}, status: { expirationTimestamp: '2026-11-30T08:14:00Z', token: 'k8s-aws-v1.abc' } });
  const cases = [
    { info: '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","spec":{}}', want: 'client.authentication.k8s.io/v1beta1', reason: 'kubectl 1.20 asks for v1beta1' },
    { info: undefined, want: 'client.authentication.k8s.io/v1', reason: 'run by hand: v1' },
    { info: 'not json', want: 'client.authentication.k8s.io/v1', reason: 'unreadable exec info: v1' },
    { info: '{"apiVersion":"client.authentication.k8s.io/v1alpha1"}', want: 'client.authentication.k8s.io/v1', reason: 'a version we do not speak: v1' },
  ];
  for (const c of cases) t.equal(requestedApiVersion(c.info), c.want, c.reason);
});
