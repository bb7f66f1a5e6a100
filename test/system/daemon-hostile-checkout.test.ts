// A repository is input from people who may be wrong or malicious. Each hostile shape git can
// carry (a spec or a proto that is a symbolic link out of the checkout, to the daemon's own
// environment, a loop, a dangling link) is committed in turn: no byte of what it points at, and
// no secret of the daemon, appears in /status, /plan, /metrics or the log, and the last good spec
// stays in force with the problem named by its repository-relative path.
import t from 'tap';
import { mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemonWorld } from '../helpers/daemon-world.js';
import { eventually } from '../helpers/cli.js';

const API_TOKEN = 'api-token-SECRET-e3b0c442';
const WEBHOOK_SECRET = 'webhook-SECRET-98fc1c14';
const FILE_MARKER = 'outside-file-SECRET-27ae41e4';

t.test('hostile checkouts leak nothing and leave the last good spec in force', async (t) => {
  const outside = mkdtempSync(join(tmpdir(), 'platformd-outside-'));
  t.teardown(() => rmSync(outside, { recursive: true, force: true }));
  writeFileSync(join(outside, 'secret.yaml'), `metadata: { name: ${FILE_MARKER} }\n`);
  writeFileSync(join(outside, 'evil.proto'), `syntax = "proto3"; package ${FILE_MARKER.replace(/-/g, '_')}; service RouteGuide { rpc X (M) returns (M); } message M {}\n`);

  const w = await startDaemonWorld(['--poll-interval', '1s', '--resync-interval', '10m'], { PLATFORMD_API_TOKEN: API_TOKEN, PLATFORMD_WEBHOOK_SECRET: WEBHOOK_SECRET });
  t.teardown(w.close);
  await eventually(async () => (await (await w.get('/readyz')).ok) || undefined, 90_000, 'first reconcile');
  const good = w.repo.head();
  const auth = { authorization: `Bearer ${API_TOKEN}` };

  const everythingSaid = async (): Promise<string> => {
    const bodies = await Promise.all([w.get('/status'), w.get('/plan', auth), w.get('/metrics')].map(async (r) => (await r).text()));
    return [...bodies, w.daemon.output()].join('\n');
  };
  const secrets = [API_TOKEN, WEBHOOK_SECRET, FILE_MARKER, FILE_MARKER.replace(/-/g, '_'), w.env.AWS_SECRET_ACCESS_KEY!, outside];

  const cases: { reason: string; change: (dir: string) => void; names: RegExp }[] = [
    { reason: 'the spec is a link to the daemon\'s own environment', names: /specs\/platform\.yaml is a symbolic link that leaves the repository/,
      change: (dir) => { unlinkSync(join(dir, 'specs/platform.yaml')); symlinkSync('/proc/self/environ', join(dir, 'specs/platform.yaml')); } },
    { reason: 'the spec is a link to a file outside the checkout', names: /specs\/platform\.yaml is a symbolic link that leaves the repository/,
      change: (dir) => { unlinkSync(join(dir, 'specs/platform.yaml')); symlinkSync(join(outside, 'secret.yaml'), join(dir, 'specs/platform.yaml')); } },
    { reason: 'the spec is a link loop', names: /specs\/platform\.yaml is a symbolic link loop/,
      change: (dir) => { unlinkSync(join(dir, 'specs/platform.yaml')); symlinkSync('loop.yaml', join(dir, 'specs/platform.yaml')); symlinkSync('platform.yaml', join(dir, 'specs/loop.yaml')); } },
    { reason: 'the spec is a dangling link', names: /specs\/platform\.yaml does not exist/,
      change: (dir) => { unlinkSync(join(dir, 'specs/loop.yaml')); unlinkSync(join(dir, 'specs/platform.yaml')); symlinkSync('gone.yaml', join(dir, 'specs/platform.yaml')); } },
    { reason: 'the spec is an alias bomb', names: /YAML: Excessive alias count/,
      change: (dir) => { unlinkSync(join(dir, 'specs/platform.yaml')); writeFileSync(join(dir, 'specs/platform.yaml'),
        'a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n'); } },
    { reason: 'a proto the spec needs is a link out of the checkout, beside a loop and a dangling link', names: /protos\/routeguide\/route_guide\.proto is a symbolic link that leaves the repository/,
      change: (dir) => {
        unlinkSync(join(dir, 'specs/platform.yaml'));
        w.repo.restore('specs/platform.yaml');
        unlinkSync(join(dir, 'protos/routeguide/route_guide.proto'));
        symlinkSync(join(outside, 'evil.proto'), join(dir, 'protos/routeguide/route_guide.proto'));
        symlinkSync('..', join(dir, 'protos/routeguide/up'));
        symlinkSync('missing.proto', join(dir, 'protos/dangling.proto'));
      } },
  ];
  for (const c of cases) {
    const sha = w.repo.commit(c.change, c.reason);
    const status = await eventually(async () => {
      const st = (await (await w.get('/status')).json()) as { spec: { commit: string; valid: boolean; lastGoodCommit: string; diagnostics: { file: string; summary: string }[] } };
      return st.spec.commit === sha ? st : undefined;
    }, 30_000, `the daemon reads ${c.reason}`);
    t.equal(status.spec.valid, false, `${c.reason}: invalid`);
    t.equal(status.spec.lastGoodCommit, good, `${c.reason}: the last good spec stays in force`);
    t.match(status.spec.diagnostics.map((d) => `${d.file}: ${d.summary}`).join('\n'), c.names, `${c.reason}: named by its repository-relative path`);
    const metrics = await (await w.get('/metrics')).text();
    t.match(metrics, /platformd_spec_valid 0/, `${c.reason}: counted as an invalid spec`);
    const said = await everythingSaid();
    for (const secret of secrets) t.notOk(said.includes(secret), `${c.reason}: ${secret.slice(0, 12)}… appears nowhere`);
    t.notOk(said.includes(w.repo.dir) || /\/checkout\//.test(JSON.stringify(status.spec.diagnostics)), `${c.reason}: no host path in the diagnostics`);
  }
  const plan = await w.get('/plan', auth);
  t.equal(plan.status, 200, 'the last good spec still plans');
});
