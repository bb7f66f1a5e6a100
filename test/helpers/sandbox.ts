// Start the sandbox in-process on an ephemeral port and hand tests real SDK clients pointed at it.
import { startSandbox, type Sandbox, type SandboxOptions, SANDBOX_CREDENTIALS } from '../../src/sandbox/world.js';
import { awsClients, resetAwsClients, type AwsClients } from '../../src/cloud/aws.js';

export interface TestSandbox extends Sandbox {
  clients: AwsClients;
}

/**
 * Starts a sandbox (default: no emulated waiting at all, timeScale 0) and points the process's
 * SDK environment at it. Call `t.teardown(sb.close)`.
 */
export async function startTestSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const sandbox = await startSandbox({ timeScale: 0, ...options });
  resetAwsClients();
  Object.assign(process.env, sandbox.env(), SANDBOX_CREDENTIALS);
  const clients = awsClients({ region: 'ap-northeast-1', maxAttempts: 3 });
  return {
    ...sandbox,
    clients,
    close: async () => {
      resetAwsClients();
      await sandbox.close();
    },
  };
}
