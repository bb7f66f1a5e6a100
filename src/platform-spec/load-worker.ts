// Worker thread entry for load-isolated.ts: parse and validate one spec, post the result, exit.
import { parentPort, workerData } from 'node:worker_threads';
import { loadSpecText } from './load.js';
import type { LoadRequest } from './load-isolated.js';

const { text, file, options } = workerData as LoadRequest;
parentPort!.postMessage(loadSpecText(text, file, options));
