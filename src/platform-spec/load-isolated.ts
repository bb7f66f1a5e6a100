// Parsing and validating a spec from a commit or a request body, off the event loop. The yaml
// library parses ~0.6 MB/s and ajv with allErrors visits every bad item, so a 1 MiB spec costs
// seconds of CPU: done in the daemon's main thread, /healthz, probes and timers would stall for
// that long. A worker thread per spec, with a deadline and a heap cap, keeps the loop responsive
// and bounds what a hostile spec can cost.
import { Worker } from 'node:worker_threads';
import type { LoadOptions, LoadResult } from './load.js';

/** Longest a spec may take to parse and validate before it is refused. */
export const SPEC_LOAD_DEADLINE_MS = 10_000;
/** Heap of the worker that parses one spec. */
const WORKER_HEAP_MB = 256;

export interface LoadRequest {
  text: string;
  file: string;
  options: Pick<LoadOptions, 'protosDir'>;
}

function refused(file: string, protosDir: string, summary: string): LoadResult {
  return { ok: false, protosDir, diagnostics: [{ severity: 'error', code: 'SPEC_TOO_COSTLY', summary, path: '', file, line: 1, column: 1 }] };
}

function startWorker(request: LoadRequest): Worker {
  const limits = { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB }, workerData: request };
  // The production bundle (dist/platformd.mjs) has its worker bundled beside it (scripts/bundle.mjs).
  if (import.meta.url.endsWith('.mjs')) return new Worker(new URL('./platformd-load-worker.mjs', import.meta.url), limits);
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./load-worker.js', import.meta.url), limits);
  // Run from TypeScript sources (tests, `npm run bench`): workers do not inherit tsx's loader
  // hooks on Node 20, so the worker registers them before importing its .ts entry.
  const entry = new URL('./load-worker.ts', import.meta.url).href;
  return new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`, { ...limits, eval: true });
}

/**
 * Workers parsing at once in this process; the others wait (their deadline starts with their
 * worker). NOTE(fleet): a daemon with 50 platforms loads 50 specs at its first commit; 50 workers
 * at once on two cores each needed more than the deadline and every spec was refused.
 */
export const MAX_CONCURRENT_SPEC_LOADS = 2;
let loading = 0;
const queued: (() => void)[] = [];

/** loadSpecText in a worker thread: same result, never blocking the caller's event loop. */
export async function loadSpecTextIsolated(text: string, file: string, options: { protosDir: string }): Promise<LoadResult> {
  if (loading >= MAX_CONCURRENT_SPEC_LOADS) await new Promise<void>((resolve) => queued.push(resolve));
  else loading++;
  try {
    return await loadInWorker(text, file, options);
  } finally {
    const next = queued.shift();
    if (next) next(); // the slot passes straight to the next load
    else loading--;
  }
}

function loadInWorker(text: string, file: string, options: { protosDir: string }): Promise<LoadResult> {
  const request: LoadRequest = { text, file, options };
  return new Promise((resolve) => {
    const worker = startWorker(request);
    let settled = false;
    const settle = (result: LoadResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(() => settle(refused(file, options.protosDir, `parsing and validating took longer than ${SPEC_LOAD_DEADLINE_MS / 1000}s; the spec is refused`)), SPEC_LOAD_DEADLINE_MS);
    worker.once('message', (result: LoadResult) => settle(result));
    worker.once('error', (err) => settle(refused(file, options.protosDir, err.message.includes('memory')
      ? `parsing and validating needed more than ${WORKER_HEAP_MB} MB; the spec is refused` : `the spec could not be parsed: ${err.message}`)));
    worker.once('exit', () => settle(refused(file, options.protosDir, 'the spec could not be parsed')));
  });
}
