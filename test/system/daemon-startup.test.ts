// The daemon answers /healthz from its first second, /readyz says what it waits for, and SIGTERM
// at any time (here: while the first clone hangs on a server that never answers) exits 0.
import t from 'tap';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli } from '../helpers/cli.js';

t.test('healthy while the first clone hangs; SIGTERM then exits 0', async (t) => {
  const sockets: Socket[] = [];
  const silent = createServer((s) => { sockets.push(s); }); // accepts, never answers
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  t.teardown(() => { for (const s of sockets) s.destroy(); silent.close(); });
  const repo = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/platform.git`;
  const daemon = startCli(['run', '--repo', repo, '--listen', '127.0.0.1:0', '--git-timeout', '10m', '--workdir', mkdtempSync(join(tmpdir(), 'platformd-work-'))]);
  t.teardown(() => daemon.stop());
  const url = (await daemon.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/))[1]!;
  await new Promise<void>((resolve) => {
    const check = () => (sockets.length > 0 ? resolve() : setTimeout(check, 50));
    check();
  });
  t.equal((await fetch(`${url}/healthz`)).status, 200, '/healthz answers while the clone hangs');
  const ready = await fetch(`${url}/readyz`);
  t.equal(ready.status, 503);
  t.match(await ready.json(), { error: { code: 'not_ready', message: /fetching the repository/ } });
  t.equal(await daemon.stop(), 0, 'SIGTERM during startup exits 0');
  t.match(daemon.output(), /stopped during startup/);
});
