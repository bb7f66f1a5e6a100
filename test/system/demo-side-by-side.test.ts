// Two demos (`npm start`) at once on one machine, one of them as an unprivileged user: each
// sandbox claims its own loopback addresses, serves its ALBs on a port it could really bind (443
// or, unprivileged, a free one its daemon's probes are told), and each demo converges with every
// probe passing against its own ALBs; on exit each removes its temporary directory.
import t from 'tap';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import tls from 'node:tls';

// Two whole platforms converge on a shared 2-core machine: more than .taprc's 180 s may pass under
// load. The deadline only bounds a hang.
t.setTimeout(420_000);

const CLI = resolve('dist/cli.js');
const NOBODY = ['--reuid=65534', '--regid=65534', '--clear-groups'];

interface Demo {
  child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
}

/** Runs `platformd demo` (the built CLI, as `npm start` does), through `setpriv` when given. */
function startDemo(asUser: string[] | undefined): Demo {
  const args = ['demo', '--time-scale', '0.004'];
  // An unprivileged user has no access to root's HOME (git reads its config there).
  const child = asUser
    ? spawn('setpriv', [...asUser, process.execPath, CLI, ...args], { env: { ...process.env, HOME: tmpdir() }, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  return {
    child,
    output: () => out,
    waitFor: (pattern, timeoutMs) => new Promise((resolve, reject) => {
      const started = Date.now();
      const check = () => {
        const m = out.match(pattern);
        if (m) return resolve(m);
        if (child.exitCode !== null) return reject(new Error(`demo exited (${child.exitCode}) before ${pattern}:\n${out.slice(-3000)}`));
        if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${pattern}:\n${out.slice(-3000)}`));
        setTimeout(check, 200);
      };
      check();
    }),
  };
}

async function stopDemo(demo: Demo): Promise<number | null> {
  if (demo.child.exitCode !== null) return demo.child.exitCode;
  return new Promise((resolve) => {
    const kill = setTimeout(() => demo.child.kill('SIGKILL'), 20_000);
    demo.child.once('exit', (code) => {
      clearTimeout(kill);
      resolve(code);
    });
    demo.child.kill('SIGTERM');
  });
}

/** Why an unprivileged user cannot run the built CLI here, or undefined when it can. */
function unprivilegedBlocker(): string | undefined {
  if (process.getuid?.() !== 0) return undefined; // this test already runs unprivileged
  const run = spawnSync('setpriv', [...NOBODY, process.execPath, CLI, 'demo', '--help'], { encoding: 'utf8', env: { ...process.env, HOME: tmpdir() } });
  if (run.error) return `setpriv is not available (${run.error.message})`;
  if (run.status !== 0) return `user 65534 cannot run ${CLI} (dist/ or node_modules not readable?): ${(run.stderr || run.stdout).trim().split('\n')[0]}`;
  return undefined;
}

interface Converged { albPort: number; dns: string; caPem: string; scratch: string; url: string }

async function converged(demo: Demo): Promise<Converged> {
  await demo.waitFor(/converged, and every gRPC probe passes/, 240_000);
  const out = demo.output();
  const repo = out.match(/git repository seeded at (\S+)/)![1]!;
  return {
    albPort: Number(out.match(/ALBs on port (\d+)/)![1]),
    dns: out.match(/DNS on (\S+?),/)![1]!,
    caPem: readFileSync(`${dirname(repo)}/sandbox-ca.pem`, 'utf8'),
    scratch: dirname(repo),
    url: out.match(/(http:\/\/127\.0\.0\.1:\d+)\/status/)![1]!,
  };
}

/** Whether the ALB at ip:port presents a certificate for the domain that `caPem` vouches for. */
function trustedBy(ip: string, port: number, caPem: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: ip, port, servername: 'grpc.example.com', ca: caPem, ALPNProtocols: ['h2'], rejectUnauthorized: false }, () => {
      resolve(socket.authorized);
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

t.test('two demos at once, one unprivileged: both converge against their own ALBs', async (t) => {
  const blocker = unprivilegedBlocker();
  const asRoot = process.getuid?.() === 0;
  if (blocker) t.comment(`SKIPPING the unprivileged half: ${blocker}; both demos run as uid ${process.getuid?.()}`);
  const first = startDemo(undefined);
  const second = startDemo(asRoot && !blocker ? NOBODY : undefined);
  t.teardown(async () => {
    await stopDemo(first);
    await stopDemo(second);
  });

  const [a, b] = await Promise.all([converged(first), converged(second)]);
  t.pass('both demos converged with every probe passing');
  t.not(a.url, b.url, 'each demo reads its own daemon');

  const unprivilegedPortStart = Number(readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8'));
  if (asRoot && !blocker && unprivilegedPortStart > 443) t.not(b.albPort, 443, `the unprivileged sandbox serves its ALBs on port ${b.albPort}, not 443`);

  for (const [name, own, other] of [['first', a, b], ['second', b, a]] as const) {
    const status = (await (await fetch(`${own.url}/status`)).json()) as { instanceId?: string; probes: { success: boolean; target: string }[] };
    t.ok(status.instanceId, `${name}: the daemon carries the demo's instance id`);
    t.ok(status.probes.length === 3 && status.probes.every((p) => p.success && p.target.endsWith(`:${own.albPort}`)),
      `${name}: three probes pass, dialing the port its sandbox serves (${own.albPort})`);
    const resolver = new Resolver();
    resolver.setServers([own.dns]);
    const [ip] = await resolver.resolve4('grpc.example.com');
    t.ok(await trustedBy(ip!, own.albPort, own.caPem), `${name}: its DNS names an ALB (${ip}:${own.albPort}) with a certificate from its own CA`);
    t.notOk(await trustedBy(ip!, own.albPort, other.caPem), `${name}: that ALB is not the other sandbox's (the other CA does not vouch for it)`);
  }
  const resolverA = new Resolver();
  resolverA.setServers([a.dns]);
  const resolverB = new Resolver();
  resolverB.setServers([b.dns]);
  t.not((await resolverA.resolve4('grpc.example.com'))[0], (await resolverB.resolve4('grpc.example.com'))[0], 'the two ALBs have different loopback addresses');

  t.equal(await stopDemo(first), 0, 'first demo stops cleanly');
  t.equal(await stopDemo(second), 0, 'second demo stops cleanly');
  t.notOk(existsSync(a.scratch), 'first demo removed its temporary directory');
  t.notOk(existsSync(b.scratch), 'second demo removed its temporary directory');
});
