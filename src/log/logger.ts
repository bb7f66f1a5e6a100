// The one structured logger (pino, the logger Fastify ships): JSON lines for the daemon, where a
// log shipper reads them, and human lines for a person at a terminal. Both pass every string
// through redactUrls, so a repository URL with credentials in it never reaches the log, and known
// secret-bearing keys are censored wherever they sit.
import { pino, type DestinationStream, type Logger } from 'pino';
import { redactUrls } from '../source/git-credentials.js';

export type { Logger };
export type LogFormat = 'json' | 'human';

/** Keys whose values are secrets; censored at the top level and one level down. */
const SECRET_KEYS = ['token', 'apiToken', 'secret', 'webhookSecret', 'password', 'authorization', 'cookie'];
const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`]);

export interface LoggerOptions {
  format: LogFormat;
  /** Where the lines go (default: stderr, written synchronously so nothing is lost on exit). */
  destination?: DestinationStream;
  /** pino level (default PLATFORMD_LOG_LEVEL, else info). */
  level?: string;
}

/** A logger in the given format. Bind context with `.child({ platform, commit })` or `.child({ id, kind })`. */
export function createLogger(opts: LoggerOptions): Logger {
  const sink = opts.destination ?? pino.destination({ fd: 2, sync: true });
  return pino({
    level: opts.level ?? process.env.PLATFORMD_LOG_LEVEL ?? 'info',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    hooks: {
      logMethod(args, method) {
        // NOTE(secrets): strings and the string fields of the bound object may carry a URL with
        // user-info (git errors quote the remote); redact before pino serialises anything.
        const cleaned = args.map((a: unknown) => (typeof a === 'string' ? redactUrls(a) : redactObject(a)));
        method.apply(this, cleaned as Parameters<typeof method>);
      },
    },
  }, opts.format === 'human' ? humanLines(sink) : sink);
}

/** A logger that writes nothing (for tests and embedders that pass none). */
export function silentLogger(): Logger {
  return pino({ enabled: false });
}

function redactObject(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value) || value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = typeof v === 'string' ? redactUrls(v) : Array.isArray(v) ? v.map((x: unknown) => (typeof x === 'string' ? redactUrls(x) : x)) : v;
  }
  return out;
}

const HIDDEN = new Set(['time', 'level', 'msg']);

/** One JSON line → `HH:MM:SS LEVEL msg key=value …`, for a person reading a terminal. */
export function humanLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : '';
  const level = String(entry.level ?? 'info');
  const fields = Object.entries(entry).filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' && !/\s/.test(v) ? v : JSON.stringify(v)}`);
  return [time, level === 'info' ? '' : level.toUpperCase(), String(entry.msg ?? ''), ...fields].filter(Boolean).join(' ');
}

function humanLines(sink: DestinationStream): DestinationStream {
  return { write: (line: string) => sink.write(`${humanLine(line)}\n`) };
}
