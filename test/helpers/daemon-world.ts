// For system tests: the sandbox (built CLI) plus a daemon (built CLI) following a test repo.
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, type CliProcess } from './cli.js';
import { createTestRepo, type TestRepo } from './git-repo.js';
import { awsClients, resetAwsClients, type AwsClients } from '../../src/cloud/aws.js';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/world.js';

export interface DaemonWorld {
  repo: TestRepo;
  sandbox: CliProcess;
  daemon: CliProcess;
  url: string;
  aws: AwsClients;
  env: Record<string, string>;
  /** The daemon's --workdir (its clone and snapshots). */
  workdir: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  metric(name: string): Promise<string[]>;
  webhook(body: string, secret: string): Promise<Response>;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** All layers with probes (DNS and CA from the sandbox), instead of network, IAM and EKS only. */
  full?: boolean;
  /** Change the repository before the daemon starts. */
  prepare?: (repo: TestRepo) => void;
  /** What `--repo` names (default: the repository's directory). */
  repoArg?: (repo: TestRepo) => string | Promise<string>;
  /** The daemon's CLI and node flags (default: dist/cli.js; the sandbox always runs from dist/cli.js). */
  daemonCli?: string[];
}

export async function startDaemonWorld(daemonArgs: string[], env: Record<string, string> = {}, options: WorldOptions = {}): Promise<DaemonWorld> {
  const repo = createTestRepo();
  options.prepare?.(repo);
  const sandbox = startCli(['sandbox', '--port', '0', '--time-scale', '0']);
  const endpoint = (await sandbox.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
  const dns = (await sandbox.waitFor(/DNS for the emulated zones on (\S+)/))[1]!;
  const caFile = (await sandbox.waitFor(/CA certificate written to (\S+)/))[1]!;
  const albPort = (await sandbox.waitFor(/ALBs serve HTTPS on port (\d+)/))[1]!;
  const awsEnv = { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'ap-northeast-1', ...SANDBOX_CREDENTIALS };
  const scope = options.full ? ['--dns-server', dns, '--ca-file', caFile, '--probe-port', albPort] : ['--layers', 'network,iam,eks'];
  const workdir = mkdtempSync(join(tmpdir(), 'platformd-work-'));
  const repoArg = options.repoArg ? await options.repoArg(repo) : repo.dir;
  const daemon = startCli(['run', '--repo', repoArg, '--listen', '127.0.0.1:0', ...scope, '--workdir', workdir, ...daemonArgs], { ...awsEnv, ...env }, options.daemonCli);
  const url = (await daemon.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
  Object.assign(process.env, awsEnv);
  resetAwsClients();
  const aws = awsClients({ region: 'ap-northeast-1', maxAttempts: 3 });
  return {
    repo, sandbox, daemon, url, aws, env: awsEnv, workdir,
    get: (path, headers) => fetch(`${url}${path}`, { headers }),
    async metric(name) {
      const text = await (await fetch(`${url}/metrics`)).text();
      return text.split('\n').filter((l) => l.startsWith(name));
    },
    webhook: (body, secret) => fetch(`${url}/hooks/git`, { method: 'POST', body, headers: { 'content-type': 'application/json',
      'x-github-event': 'push', 'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` } }),
    async close() {
      await daemon.stop();
      await sandbox.stop();
      resetAwsClients();
      repo.remove();
    },
  };
}
