// The sandbox in a child process (so the measured process only runs platformd), and helpers.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildSandbox {
  child: ChildProcess;
  env: Record<string, string>;
  dns: string;
  caFile: string;
  /** The port the sandbox's ALBs serve HTTPS on (443 unless another sandbox holds it). */
  albPort: string;
  stop(): Promise<void>;
}

export async function startChildSandbox(): Promise<ChildSandbox> {
  // BENCH_SANDBOX_NODE_ARGS: node flags for the sandbox alone, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
  const nodeArgs = (process.env.BENCH_SANDBOX_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, 'dist/cli.js', 'sandbox', '--port', '0', '--time-scale', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', () => {});
  const started = Date.now();
  while (!/CA certificate written to (\S+)/.test(out)) {
    if (Date.now() - started > 30_000) throw new Error(`sandbox did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const endpoint = /listening on (http:\/\/\S+)/.exec(out)![1]!;
  return {
    child,
    env: { AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'AKIASANDBOXEXAMPLE01', AWS_SECRET_ACCESS_KEY: 'sandbox-secret-access-key-not-a-real-secret' },
    dns: /DNS for the emulated zones on (\S+)/.exec(out)![1]!,
    caFile: /CA certificate written to (\S+)/.exec(out)![1]!,
    albPort: /ALBs serve HTTPS on port (\d+)/.exec(out)?.[1] ?? '443',
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** CPU seconds (user + system) a process has used, from /proc. */
export async function cpuSecondsOf(pid: number): Promise<number> {
  const { readFileSync } = await import('node:fs');
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in clock ticks (100 Hz)
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Median, min and max of a bench figure's runs. */
export interface Spread { median: number; min: number; max: number }

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

export const showSpread = (s: Spread, digits = 2) => `${s.median.toFixed(digits)} [${s.min.toFixed(digits)}–${s.max.toFixed(digits)}]`;
