// `platformd kubeconfig FILE`: a kubeconfig for the platform's EKS cluster whose user runs
// `platformd token` as its exec credential plugin, the way `aws eks update-kubeconfig` writes one.
import { writeFileSync } from 'node:fs';
import { DescribeClusterCommand } from '@aws-sdk/client-eks';
import { EXIT_USAGE, defineCommand } from './command.js';
import { awsClients } from '../cloud/aws.js';
import { platformRegion } from '../cloud/region.js';
import { isNotFound } from '../cloud/aws-errors.js';
import { EXEC_API_VERSIONS, renderKubeconfig, type ExecApiVersion } from '../cloud/kubeconfig.js';
import { loadSpecOrReport } from './spec-args.js';

export const command = defineCommand({
  summary: 'write a kubeconfig for the platform\'s cluster (kubectl authenticates with `platformd token`)',
  usage: `Usage: platformd kubeconfig FILE [--out PATH] [--exec-command CMD] [--exec-api-version v1|v1beta1]

Reads the cluster that FILE (a platform.yaml) names from EKS (DescribeCluster: endpoint and
certificate authority) and prints a kubeconfig with one context for it, named by the cluster's
ARN. Its user is an exec credential plugin: kubectl runs \`platformd token --cluster NAME --region R\`
for a fresh EKS token whenever it needs one, with kubectl's own environment (AWS credentials,
profile, AWS_ENDPOINT_URL). Your IAM principal needs an access entry on the cluster (spec
cluster.admins, or being the cluster's creator).

Options:
  --out PATH               write the kubeconfig to PATH (mode 0600) instead of stdout
  --exec-command CMD       the executable kubectl runs for a token (default: platformd, on PATH)
  --exec-api-version V     client.authentication.k8s.io version: v1 (default; kubectl ≥ 1.22) or
                           v1beta1 (older kubectl, e.g. Debian 12's kubernetes-client 1.20)
  --protos DIR             directory of .proto files (default: protos/ of the repository holding FILE)
  -h, --help               show this help

Exit status: 0 when written, 1 when the spec is invalid or the cluster has no endpoint yet, 2 on a
usage error.

Example (against \`platformd sandbox\`, with its exports in the shell):
  platformd kubeconfig specs/platform.yaml --out /tmp/grpc-demo.kubeconfig
  KUBECONFIG=/tmp/grpc-demo.kubeconfig kubectl get deploy -A`,
  options: { out: { type: 'string' }, 'exec-command': { type: 'string' }, 'exec-api-version': { type: 'string' }, protos: { type: 'string' } },
  async run({ positionals, values }) {
    const [file] = positionals;
    if (!file || positionals.length > 1) {
      console.error('platformd kubeconfig: expected exactly one FILE\n\n' + this.usage);
      return EXIT_USAGE;
    }
    const execApiVersion = EXEC_API_VERSIONS.find((v) => v === `client.authentication.k8s.io/${String(values['exec-api-version'] ?? 'v1')}`);
    if (!execApiVersion) {
      console.error('platformd kubeconfig: --exec-api-version must be v1 or v1beta1');
      return EXIT_USAGE;
    }
    const loaded = await loadSpecOrReport(file, values.protos as string | undefined);
    if (!loaded) return 1;
    const name = loaded.spec.cluster?.name;
    if (!name) {
      console.error(`platformd kubeconfig: ${file} names no cluster`);
      return 1;
    }
    const text = await describe(name, platformRegion(loaded), execApiVersion, values['exec-command'] as string | undefined);
    if (typeof text !== 'string') {
      console.error(`platformd kubeconfig: ${text.error}`);
      return 1;
    }
    if (values.out) writeFileSync(values.out as string, text, { mode: 0o600 });
    else process.stdout.write(text);
    return 0;
  },
});

async function describe(name: string, region: string, execApiVersion: ExecApiVersion, execCommand: string | undefined): Promise<string | { error: string }> {
  let cluster;
  try {
    cluster = (await awsClients({ region }).eks.send(new DescribeClusterCommand({ name }))).cluster;
  } catch (err) {
    if (isNotFound(err)) return { error: `cluster ${name} does not exist in ${region} (apply the spec first)` };
    throw err;
  }
  const ca = cluster?.certificateAuthority?.data;
  if (!cluster?.endpoint || !ca || !cluster.arn) return { error: `cluster ${name} is ${cluster?.status ?? 'unknown'}: no endpoint yet; try again once it is ACTIVE` };
  return renderKubeconfig({ clusterName: name, clusterArn: cluster.arn, endpoint: cluster.endpoint, certificateAuthorityData: ca, region,
    execApiVersion, ...(execCommand ? { execCommand } : {}) });
}
