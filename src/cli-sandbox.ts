// `platformd sandbox`: the emulated world on a local port, for trying platformd without AWS.
import type { Command } from './commands/command.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from './sandbox/world.js';

export const command: Command = {
  summary: 'start the emulated AWS (and Kubernetes) sandbox and print how to point platformd at it',
  usage: `Usage: platformd sandbox [--port 4566] [--time-scale 0.0167]

Starts an emulated AWS endpoint on 127.0.0.1 speaking the real wire protocols (EC2, IAM, STS, EKS,
ELBv2, ACM, Route 53 as they land), stateful, with the real lifecycles on a scaled clock, and
prints the environment that points the unmodified CLI and SDK at it. Runs until interrupted.

Options:
  --port N          port to listen on (default 4566; 0 picks a free one)
  --time-scale X    real seconds per emulated second (default 0.0167: ten minutes take ten seconds;
                    0 makes every lifecycle instantaneous)
  --ca-file FILE    where to write the sandbox CA (default: a file in the temp dir); trust it to
                    call the services over TLS (platformd run --ca-file FILE)
  --principal-policy FILE
                    enforce this IAM identity policy (JSON) for platformd's own identity: every
                    call it signs is authorised against FILE and refused as AWS refuses it
                    (e.g. ops/iam/platformd-policy.json); without it that identity may do anything
  -h, --help        show this help

Example:
  platformd sandbox &
  (copy the export lines it prints into your shell)
  platformd apply specs/platform.yaml --auto-approve`,
  options: { port: { type: 'string' }, 'time-scale': { type: 'string' }, 'ca-file': { type: 'string' }, 'principal-policy': { type: 'string' } },
  async run({ values }) {
    const port = values.port !== undefined ? Number(values.port) : 4566;
    const timeScale = values['time-scale'] !== undefined ? Number(values['time-scale']) : 1 / 60;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      console.error('platformd sandbox: --port must be an integer between 0 and 65535');
      return 2;
    }
    if (!Number.isFinite(timeScale) || timeScale < 0) {
      console.error('platformd sandbox: --time-scale must be a number ≥ 0');
      return 2;
    }
    let principalPolicy: unknown;
    if (values['principal-policy'] !== undefined) {
      try {
        principalPolicy = JSON.parse(readFileSync(values['principal-policy'], 'utf8'));
      } catch (err) {
        console.error(`platformd sandbox: --principal-policy ${values['principal-policy']}: ${(err as Error).message}`);
        return 2;
      }
    }
    const sandbox = await startSandbox({ port, timeScale, principalPolicy });
    const caFile = values['ca-file'] ?? join(tmpdir(), `platformd-sandbox-ca-${process.pid}.pem`);
    writeFileSync(caFile, sandbox.caPem);
    console.log(`platformd sandbox: emulated AWS listening on ${sandbox.endpoint}`);
    console.log(`platformd sandbox: DNS for the emulated zones on ${sandbox.dns}`);
    if (principalPolicy !== undefined) console.log(`platformd sandbox: platformd's identity is authorised against ${values['principal-policy']}`);
    console.log(`platformd sandbox: CA certificate written to ${caFile}\n`);
    console.log('Point platformd (or any AWS SDK / CLI) at it:\n');
    for (const [k, v] of Object.entries(sandbox.env())) console.log(`  export ${k}=${v}`);
    console.log(`\nTo probe the services: platformd run … --dns-server ${sandbox.dns} --ca-file ${caFile}`);
    console.log('\nPress Ctrl-C to stop.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await sandbox.close();
    return 0;
  },
};
