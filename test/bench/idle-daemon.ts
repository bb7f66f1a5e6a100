// Idle daemon cost: RSS and CPU of `platformd run` over a period with 3 and with 300 probes at
// one-second intervals, after the platform has converged.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePlatform } from './generate.js';
import { cpuSecondsOf, startChildSandbox } from './world.js';

function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

export async function idleDaemon(sizes: number[], seconds: number): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const n of sizes) {
    const platform = generatePlatform(n, '1s');
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: platform.dir });
    execFileSync('git', ['add', '-A'], { cwd: platform.dir });
    execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=bench', 'commit', '-qm', 'bench'], { cwd: platform.dir });
    const sandbox = await startChildSandbox();
    const daemon = spawn(process.execPath, ['--no-warnings', 'dist/cli.js', 'run', '--repo', platform.dir, '--listen', '127.0.0.1:0', '--dns-server', sandbox.dns,
      '--ca-file', sandbox.caFile, '--poll-interval', '1m', '--resync-interval', '10m', '--workdir', mkdtempSync(join(tmpdir(), 'platformd-bench-work-'))],
    { env: { ...process.env, ...sandbox.env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    daemon.stderr!.on('data', (d) => { log += d; });
    const waitStart = Date.now();
    while (!/listening on (http:\/\/\S+)/.test(log)) {
      if (daemon.exitCode !== null || Date.now() - waitStart > 60_000) throw new Error(`daemon did not start:\n${log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const url = /listening on (http:\/\/\S+)/.exec(log)![1]!;
    for (;;) {
      const s = await fetch(`${url}/status`).then((r) => r.json() as Promise<any>).catch(() => undefined);
      if (s?.lastReconcile?.outcome === 'success' && (s.probes?.length ?? 0) === n) break;
      if (daemon.exitCode !== null || Date.now() - waitStart > 240_000) throw new Error(`daemon did not converge with ${n} probes: ${JSON.stringify(s?.lastReconcile ?? {}).slice(0, 500)}\n${log.slice(-1500)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const probesBefore = await probesTotal(url);
    const cpu0 = await cpuSecondsOf(daemon.pid!);
    const rss: number[] = [];
    const started = Date.now();
    while (Date.now() - started < seconds * 1000) {
      rss.push(rssMiB(daemon.pid!));
      await new Promise((r) => setTimeout(r, 1000));
    }
    const cpu = (await cpuSecondsOf(daemon.pid!)) - cpu0;
    const probes = (await probesTotal(url)) - probesBefore;
    out.push({ probes: n, seconds, cpuSeconds: +cpu.toFixed(2), cpuPercent: +((cpu / seconds) * 100).toFixed(1), rssMiBAvg: Math.round(rss.reduce((a, b) => a + b, 0) / rss.length),
      rssMiBMax: Math.round(Math.max(...rss)), probesRun: probes, cpuMsPerProbe: probes ? +((cpu * 1000) / probes).toFixed(3) : null });
    const exited = new Promise((r) => daemon.once('exit', r));
    daemon.kill('SIGTERM');
    await exited;
    await sandbox.stop();
  }
  console.log('\nIdle daemon (converged; probes every second)');
  console.log('probes  seconds  CPU-s  CPU-%  RSS-avg  RSS-max  probes-run  CPU-ms/probe');
  for (const r of out as any[]) console.log(`${String(r.probes).padStart(6)}  ${String(r.seconds).padStart(7)}  ${String(r.cpuSeconds).padStart(5)}  ${String(r.cpuPercent).padStart(5)}  ${`${r.rssMiBAvg}MiB`.padStart(7)}  ${`${r.rssMiBMax}MiB`.padStart(7)}  ${String(r.probesRun).padStart(10)}  ${String(r.cpuMsPerProbe).padStart(12)}`);
  return out;
}

async function probesTotal(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith('platformd_probes_total{')).reduce((a, l) => a + Number(l.split(' ').pop()), 0);
}
