// `platformd sandbox`: the emulated world on a local port, for trying platformd without AWS.
import { EXIT_USAGE, defineCommand } from './commands/command.js';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from './sandbox/world.js';

/** The one line a start failure deserves: which address is taken, or what else went wrong. */
function startFailure(err: unknown, port: number): string {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number };
  if (e.code === 'EADDRINUSE') return `platformd sandbox: ${e.address ?? '127.0.0.1'}:${e.port ?? port} is already in use (another sandbox?); choose another with --port N, or --port 0 for a free one`;
  if (e.code === 'EACCES') return `platformd sandbox: not allowed to listen on ${e.address ?? '127.0.0.1'}:${e.port ?? port}; choose a port above 1023`;
  return `platformd sandbox: could not start: ${e.message}`;
}

export const command = defineCommand({
  summary: 'start the emulated AWS (and Kubernetes) sandbox and print how to point platformd at it',
  usage: `Usage: platformd sandbox [--port 4566] [--time-scale 0.0167] [--alb-port N]

Starts an emulated AWS endpoint on 127.0.0.1 speaking the real wire protocols (EC2, IAM, STS, EKS,
ELBv2, ACM, Route 53 as they land), stateful, with the real lifecycles on a scaled clock, and
prints the environment that points the unmodified CLI and SDK at it. Runs until interrupted.

Each ALB gets a loopback address of its own (a free 127.x.y.z, so several sandboxes can run on one
machine) and listens on 443 when the process may bind it, else on a free unprivileged port: the
port is printed, and probes must dial it (platformd run --probe-port N).

Options:
  --port N          port to listen on (default 4566; 0 picks a free one)
  --time-scale X    real seconds per emulated second (default 0.0167: ten minutes take ten seconds;
                    0 makes every lifecycle instantaneous)
  --ca-file FILE    where to write the sandbox CA (default: a file in the temp dir); trust it to
                    call the services over TLS (platformd run --ca-file FILE)
  --management-kubeconfig FILE
                    where to write the kubeconfig of the management cluster (the Kubernetes API
                    platformd's replicas keep their Leases in; default: a file in the temp dir)
  --alb-port N      port the ALBs listen on (default 443 if it can be bound, else a free one)
  --principal-policy FILE
                    enforce this IAM identity policy (JSON) for platformd's own identity: every
                    call it signs is authorised against FILE and refused as AWS refuses it
                    (e.g. ops/iam/platformd-policy.json); without it that identity may do anything
  -h, --help        show this help

Example:
  platformd sandbox &
  (copy the export lines it prints into your shell)
  platformd apply specs/platform.yaml --auto-approve`,
  options: { port: { type: 'string' }, 'time-scale': { type: 'string' }, 'ca-file': { type: 'string' }, 'alb-port': { type: 'string' }, 'principal-policy': { type: 'string' }, 'management-kubeconfig': { type: 'string' } },
  async run({ values }) {
    const port = values.port !== undefined ? Number(values.port) : 4566;
    const timeScale = values['time-scale'] !== undefined ? Number(values['time-scale']) : 1 / 60;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      console.error('platformd sandbox: --port must be an integer between 0 and 65535');
      return EXIT_USAGE;
    }
    if (!Number.isFinite(timeScale) || timeScale < 0) {
      console.error('platformd sandbox: --time-scale must be a number ≥ 0');
      return EXIT_USAGE;
    }
    const albPort = values['alb-port'] !== undefined ? Number(values['alb-port']) : undefined;
    if (albPort !== undefined && (!Number.isInteger(albPort) || albPort < 0 || albPort > 65535)) {
      console.error('platformd sandbox: --alb-port must be an integer between 0 and 65535');
      return EXIT_USAGE;
    }
    let principalPolicy: unknown;
    if (values['principal-policy'] !== undefined) {
      try {
        principalPolicy = JSON.parse(readFileSync(values['principal-policy'], 'utf8'));
      } catch (err) {
        console.error(`platformd sandbox: --principal-policy ${values['principal-policy']}: ${(err as Error).message}`);
        return EXIT_USAGE;
      }
    }
    let sandbox: Sandbox;
    try {
      sandbox = await startSandbox({ port, timeScale, albPort, principalPolicy });
    } catch (err) {
      console.error(startFailure(err, port));
      return 1;
    }
    const caFile = values['ca-file'] ?? join(tmpdir(), `platformd-sandbox-ca-${process.pid}.pem`);
    writeFileSync(caFile, sandbox.caPem);
    const kubeconfigFile = values['management-kubeconfig'] ?? join(tmpdir(), `platformd-sandbox-management-${process.pid}.kubeconfig`);
    writeFileSync(kubeconfigFile, sandbox.management.kubeconfig(), { mode: 0o600 });
    console.log(`platformd sandbox: emulated AWS listening on ${sandbox.endpoint}`);
    console.log(`platformd sandbox: DNS for the emulated zones on ${sandbox.dns}`);
    console.log(`platformd sandbox: ALBs serve HTTPS on port ${sandbox.albPort}${sandbox.albPort === 443 ? '' : ' (443 could not be bound by this process)'}`);
    if (principalPolicy !== undefined) console.log(`platformd sandbox: platformd's identity is authorised against ${values['principal-policy']}`);
    console.log(`platformd sandbox: CA certificate written to ${caFile}\n`);
    console.log('Point platformd (or any AWS SDK / CLI) at it:\n');
    for (const [k, v] of Object.entries(sandbox.env())) console.log(`  export ${k}=${v}`);
    console.log(`\nTo probe the services: platformd run … --dns-server ${sandbox.dns} --ca-file ${caFile} --probe-port ${sandbox.albPort}`);
    console.log(`\nA management cluster for platformd's own Leases (leader election, apply locks) at ${sandbox.management.endpoint}; its kubeconfig is ${kubeconfigFile}:`);
    console.log(`  platformd run … --leader-elect --lease-kubeconfig ${kubeconfigFile}`);
    console.log(`  export PLATFORMD_LEASE_KUBECONFIG=${kubeconfigFile}   # platformd apply then takes the platform's Lease`);
    console.log('\nPress Ctrl-C to stop.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    // A graceful close waits for the emulated controllers' running pass, which at hundreds of
    // services can take minutes: a stop is bounded, so whoever sent the signal is not left waiting.
    const forced = setTimeout(() => {
      console.error('platformd sandbox: still stopping after 10 s (a controller pass in flight); exiting now');
      process.exit(1);
    }, 10_000);
    forced.unref();
    if (values['ca-file'] === undefined) rmSync(caFile, { force: true }); // ours, in the temp dir
    if (values['management-kubeconfig'] === undefined) rmSync(kubeconfigFile, { force: true });
    await sandbox.close();
    clearTimeout(forced);
    return 0;
  },
});
