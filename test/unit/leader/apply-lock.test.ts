// The local apply lock: O_EXCL creation, refusal naming the holder, stale detection by pid
// liveness, --force-unlock, and release removing only our own lock.
import t from 'tap';
import { mkdtempSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { lockFilePath, takeApplyLock, type ApplyLock } from '../../../src/leader/apply-lock.js';

t.test('local lock file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'platformd-lockfile-'));
  const specFile = join(dir, 'platform.yaml');
  const saved = process.env.XDG_RUNTIME_DIR;
  delete process.env.XDG_RUNTIME_DIR;
  t.teardown(() => { if (saved !== undefined) process.env.XDG_RUNTIME_DIR = saved; });
  const path = lockFilePath('demo', specFile);
  t.ok(path.startsWith(join(tmpdir(), 'platformd-')) && !path.startsWith(dir), 'under the temp directory without XDG_RUNTIME_DIR, never beside the spec');
  t.not(lockFilePath('demo', 'ap-northeast-1|http://127.0.0.1:1'), lockFilePath('demo', 'ap-northeast-1|http://127.0.0.1:2'), 'one platform name at two endpoints: two locks');
  t.equal(lockFilePath('demo', 'ap-northeast-1|'), lockFilePath('demo', 'ap-northeast-1|'), 'the same platform and target: one lock');

  const live = { pid: process.ppid, host: hostname(), holder: 'apply:someone@here:1', since: '2026-01-01T00:00:00.000Z', spec: specFile };
  writeFileSync(path, JSON.stringify(live));
  const refused = await takeApplyLock({ platform: 'demo', specFile });
  t.match(refused, { refused: /locked by apply:someone@here:1 \(pid \d+ on .+\) since 2026-01-01T00:00:00.000Z/ }, 'a live holder is named');

  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  writeFileSync(path, JSON.stringify({ ...live, pid: Number(dead.stdout.toString()) }));
  const taken = await takeApplyLock({ platform: 'demo', specFile });
  t.ok('release' in taken, 'a lock whose pid is gone is stale and taken');
  t.equal(JSON.parse(readFileSync(path, 'utf8')).pid, process.pid);
  t.match(await takeApplyLock({ platform: 'demo', specFile }), { refused: /pid \d+/ }, 'held by us now: a second take refuses');
  await (taken as ApplyLock).release();
  t.notOk(existsSync(path), 'released');

  writeFileSync(path, JSON.stringify(live));
  const forced = await takeApplyLock({ platform: 'demo', specFile, forceUnlock: true });
  t.ok('release' in forced, '--force-unlock takes a live lock');
  await (forced as ApplyLock).release();
});
