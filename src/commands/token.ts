// `platformd token --cluster NAME`: the exec credential plugin a kubeconfig from `platformd
// kubeconfig` runs (like `aws eks get-token`): prints an ExecCredential with a presigned EKS token.
import { EXIT_USAGE, defineCommand } from './command.js';
import { awsClients } from '../cloud/aws.js';
import { platformRegion } from '../cloud/region.js';
import { eksToken } from '../cloud/eks-token.js';
import { execCredential } from '../cloud/kubeconfig.js';

export const command = defineCommand({
  summary: 'print an EKS bearer token as a kubectl ExecCredential (the kubeconfig\'s exec plugin)',
  usage: `Usage: platformd token --cluster NAME [--region R]

Prints, on stdout, an ExecCredential (client.authentication.k8s.io/v1, or the version kubectl asks
for in KUBERNETES_EXEC_INFO) whose status.token is an EKS bearer token for cluster NAME: a
presigned STS GetCallerIdentity request for the caller's AWS credentials, as \`aws eks get-token\`
makes it. It expires after 14 minutes (status.expirationTimestamp); kubectl asks again then.
Makes no AWS call: the request is signed locally, and the cluster's API server has STS check it.

Options:
  --cluster NAME   the EKS cluster's name (the token is valid for that cluster only)
  --region R       the cluster's region (default: AWS_REGION / AWS_DEFAULT_REGION)
  -h, --help       show this help

Credentials and the STS endpoint come from the SDK's standard chain (AWS_PROFILE,
AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, ...).

Exit status: 0 with a credential printed, 1 without credentials, 2 on a usage error.

Example:
  platformd token --cluster grpc-demo --region ap-northeast-1`,
  options: { cluster: { type: 'string' }, region: { type: 'string' } },
  async run({ positionals, values }) {
    const cluster = values.cluster as string | undefined;
    const region = platformRegion({ flag: values.region as string | undefined, env: process.env });
    if (!cluster || positionals.length > 0) {
      console.error('platformd token: expected --cluster NAME and no other arguments\n\n' + this.usage);
      return EXIT_USAGE;
    }
    if (!region) {
      console.error('platformd token: no region; pass --region R or set AWS_REGION');
      return EXIT_USAGE;
    }
    const token = await eksToken(awsClients({ region }).sts, cluster);
    console.log(execCredential(token, process.env.KUBERNETES_EXEC_INFO));
    return 0;
  },
});
