// Run the built CLI (dist/cli.js unless told) as a child process; wait for output; always clean up.
import { spawn, type ChildProcess } from 'node:child_process';

export interface CliProcess {
  child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<number | null>;
}

/** `cli` is the built CLI to run: tsc's dist/cli.js, or a production bundle (with its node flags first). */
export function startCli(args: string[], env: Record<string, string> = {}, cli: string[] = ['dist/cli.js']): CliProcess {
  const child = spawn(process.execPath, [...cli, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  return {
    child,
    output: () => out,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const started = Date.now();
        const check = () => {
          const m = out.match(pattern);
          if (m) return resolve(m);
          if (child.exitCode !== null) return reject(new Error(`process exited (${child.exitCode}) before ${pattern}:\n${out}`));
          if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${pattern}:\n${out.slice(-3000)}`));
          setTimeout(check, 50);
        };
        check();
      });
    },
    stop() {
      if (child.exitCode !== null) return Promise.resolve(child.exitCode);
      return new Promise((resolve) => {
        const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', (code) => {
          clearTimeout(kill);
          resolve(code);
        });
        child.kill('SIGTERM');
      });
    },
  };
}

/** Poll `fn` until it returns a truthy value. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const started = Date.now();
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The exit code of a CLI process (its signal's null when killed), failing after `timeoutMs` with its output. */
export function exited(cli: CliProcess, timeoutMs = 240_000): Promise<number | null> {
  return new Promise((done, fail) => {
    if (cli.child.exitCode !== null || cli.child.signalCode !== null) return done(cli.child.exitCode);
    const timer = setTimeout(() => fail(new Error(`no exit within ${timeoutMs} ms:\n${cli.output().slice(-3000)}`)), timeoutMs);
    cli.child.once('exit', (code) => {
      clearTimeout(timer);
      done(code);
    });
  });
}
