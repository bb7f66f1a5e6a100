// A git smart-HTTP server on loopback that requires Basic authentication: git's own CGI program
// (git http-backend) behind a Node HTTP server, so tests clone over HTTP with real credentials.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GitHttpServer {
  /** Base URL without credentials; the repository's .git is at `${url}/.git`. */
  url: string;
  /** Requests refused for want of the right credentials. */
  refused: number;
  close(): Promise<void>;
}

export async function serveGitOverHttp(repoDir: string, username: string, password: string): Promise<GitHttpServer> {
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const state = { refused: 0 };
  const server = createServer((req: IncomingMessage, res) => {
    if (req.headers.authorization !== expected) {
      state.refused++;
      res.writeHead(401, { 'www-authenticate': 'Basic realm="git"' }).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const cgi = spawn('git', ['http-backend'], { env: {
      PATH: process.env.PATH ?? '', GIT_PROJECT_ROOT: repoDir, GIT_HTTP_EXPORT_ALL: '1', PATH_INFO: url.pathname,
      QUERY_STRING: url.search.slice(1), REQUEST_METHOD: req.method ?? 'GET', CONTENT_TYPE: req.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '', REMOTE_USER: username, REMOTE_ADDR: '127.0.0.1',
    } });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let started = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (started) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString().split('\r\n')) {
        const [name, ...rest] = line.split(':');
        if (name!.toLowerCase() === 'status') status = Number.parseInt(rest.join(':').trim(), 10);
        else headers[name!] = rest.join(':').trim();
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + 4));
      started = true;
    });
    cgi.stdout.on('end', () => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get refused() { return state.refused; },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
