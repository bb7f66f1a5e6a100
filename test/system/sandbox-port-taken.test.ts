// A sandbox or demo whose port is taken says so and exits: it never hangs behind the error, and
// never reports another process's daemon as its own.
import t from 'tap';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startCli } from '../helpers/cli.js';

/** Exit code of a CLI run, or a failure naming the output if it does not exit within the deadline. */
async function exitOf(cli: ReturnType<typeof startCli>, deadlineMs: number): Promise<number | null> {
  if (cli.child.exitCode !== null) return cli.child.exitCode;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still running after ${deadlineMs} ms:\n${cli.output().slice(-2000)}`)), deadlineMs);
    cli.child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

t.test('`platformd sandbox` on a taken port exits non-zero with one clear line', async (t) => {
  const first = startCli(['sandbox', '--port', '0', '--time-scale', '0']);
  t.teardown(() => first.stop());
  const port = (await first.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/))[1]!;

  const second = startCli(['sandbox', '--port', port, '--time-scale', '0']);
  t.teardown(() => second.stop());
  // The deadline only bounds a hang: the process must end on its own.
  const code = await exitOf(second, 30_000);
  t.equal(code, 1, 'exit code 1');
  const lines = second.output().split('\n').filter(Boolean);
  t.equal(lines.length, 1, `one line: ${JSON.stringify(lines)}`);
  t.match(lines[0], new RegExp(`127\\.0\\.0\\.1:${port} is already in use`), 'names the taken address');
});

t.test('the demo never reports a daemon that is not its own', async (t) => {
  // Something else answers /status on the demo's port with a converged-looking platform.
  const impostor: Server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ reconciling: false, lastReconcile: { outcome: 'success' }, resources: [{ state: 'in-sync' }],
      probes: [{ success: true }, { success: true }, { success: true }] }));
  });
  await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => impostor.close(() => resolve())));
  const port = (impostor.address() as AddressInfo).port;

  const demo = startCli(['demo', '--port', String(port), '--time-scale', '0']);
  t.teardown(() => demo.stop());
  const code = await exitOf(demo, 60_000);
  t.equal(code, 1, 'the demo fails: its own daemon could not listen');
  t.notMatch(demo.output(), /converged/, 'never claims convergence');
  t.match(demo.output(), /the daemon exited/, 'says its daemon exited');
  t.match(demo.output(), /EADDRINUSE/, 'the daemon\'s reason is shown');
});
