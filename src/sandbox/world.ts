// The whole emulated world in one object: the AWS endpoint with every emulated service, the
// Kubernetes API servers of emulated clusters, the controllers that act on their own, and the
// ALB data path. `platformd sandbox`, `npm start` and the tests all start it through here.
import { AwsEmulator } from './aws/server.js';
import { ScaledClock } from './clock.js';
import { registerServices } from './aws/services/index.js';
import { connectElbv2 } from './aws/services/elbv2/connect.js';

export interface SandboxOptions {
  /** AWS endpoint port; 0 = ephemeral. */
  port?: number;
  /** Real ms per emulated ms (default 1/60: ten minutes take ten seconds); 0 = no waiting at all. */
  timeScale?: number;
}

export interface Sandbox {
  aws: AwsEmulator;
  clock: ScaledClock;
  endpoint: string;
  /** Environment that points the unmodified CLI/SDK at this sandbox. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

export const SANDBOX_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIASANDBOXEXAMPLE01',
  AWS_SECRET_ACCESS_KEY: 'sandbox-secret-access-key-not-a-real-secret',
};

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const clock = new ScaledClock(options.timeScale ?? 1 / 60);
  const aws = new AwsEmulator({ clock });
  registerServices(aws);
  connectElbv2(aws);
  const endpoint = await aws.listen(options.port ?? 0);
  return {
    aws,
    clock,
    endpoint,
    env: () => ({
      AWS_ENDPOINT_URL: endpoint,
      AWS_REGION: 'ap-northeast-1',
      ...SANDBOX_CREDENTIALS,
    }),
    close: async () => {
      await aws.close();
    },
  };
}
