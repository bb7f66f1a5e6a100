// Repository credentials stay secret: the daemon follows a repository over HTTP that requires a
// password, given in the URL or in the environment, and the password appears in no response, no
// log line, no process's command line and no file under the work directory.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { startDaemonWorld } from '../helpers/daemon-world.js';
import { eventually } from '../helpers/cli.js';
import { serveGitOverHttp, type GitHttpServer } from '../helpers/git-http-server.js';

const PASSWORD = 'ghp_SECRET0b1c2d3e4f5a6b7c8d9e';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => `${e.parentPath ?? (e as unknown as { path: string }).path}/${e.name}`);
}

for (const how of ['in the URL', 'in the environment'] as const) {
  t.test(`a password ${how} appears nowhere`, async (t) => {
    let server!: GitHttpServer;
    const w = await startDaemonWorld(['--poll-interval', '1s', '--resync-interval', '10m'], how === 'in the environment' ? { PLATFORMD_GIT_USERNAME: 'deploy', PLATFORMD_GIT_PASSWORD: PASSWORD } : {}, {
      repoArg: async (repo) => {
        server = await serveGitOverHttp(repo.dir, 'deploy', PASSWORD);
        return how === 'in the URL' ? server.url.replace('http://', `http://deploy:${PASSWORD}@`) + '/.git' : `${server.url}/.git`;
      },
    });
    t.teardown(async () => { await w.close(); await server.close(); });
    await eventually(async () => (await (await w.get('/readyz')).ok) || undefined, 90_000, 'first reconcile over authenticated HTTP');
    const sha = w.repo.commitSpec((s) => s.replace('desired: 3, max: 6', 'desired: 4, max: 6'), 'scale');
    await eventually(async () => ((await (await w.get('/status')).json()) as { commit: string }).commit === sha, 30_000, 'the next commit is fetched');

    const said = [await (await w.get('/status')).text(), await (await w.get('/plan')).text(), await (await w.get('/metrics')).text(), w.daemon.output()].join('\n');
    t.notOk(said.includes(PASSWORD), 'not in /status, /plan, /metrics or the log');
    const cmdline = readFileSync(`/proc/${w.daemon.child.pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    t.notOk(cmdline.includes(PASSWORD), `not in the daemon's command line: ${cmdline.slice(0, 120)}`);
    t.notOk(execFileSync('ps', ['-eo', 'args']).toString().includes(PASSWORD), 'not in any process listed by ps');
    const leaking = filesUnder(w.workdir).filter((f) => readFileSync(f).includes(PASSWORD));
    t.same(leaking, [], 'not in any file under the work directory (.git/config included)');
  });
}

t.test('a wrong password fails the fetch with git\'s reason, and the URL is printed without credentials', async (t) => {
  let server!: GitHttpServer;
  const w = await startDaemonWorld(['--poll-interval', '1s', '--resync-interval', '10m'], {}, {
    repoArg: async (repo) => {
      server = await serveGitOverHttp(repo.dir, 'deploy', 'the-real-one');
      return server.url.replace('http://', `http://deploy:${PASSWORD}@`) + '/.git';
    },
  });
  t.teardown(async () => { await w.close(); await server.close(); });
  const status = await eventually(async () => {
    const st = (await (await w.get('/status')).json()) as { source: { lastFetchError: string | null } };
    return st.source.lastFetchError ? st : undefined;
  }, 30_000, 'a failed fetch');
  t.match(status.source.lastFetchError, /git clone failed/);
  t.ok(server.refused > 0, 'the server refused the credentials');
  t.notOk(JSON.stringify(status).includes(PASSWORD) || w.daemon.output().includes(PASSWORD), 'the wrong password is not echoed either');
});
