// What every `platformd` runs with, chosen by measuring the idle daemon (README's Performance;
// test/bench/idle-daemon.ts), defined once: scripts/bundle.mjs writes them into the bundle's
// shebang, and the probe cost bench runs its prober with them (a prober measured under the default
// JIT would not spend what production spends). The Dockerfile repeats them (test/unit/ops/dockerfile.test.ts).
// - glibc malloc: allocations from 16 KiB up are mmap'd and unmapped when freed, and free memory at
//   the top of the heap is returned at once. Parsing and compiling the bundle at startup leaves
//   ~50 MiB of freed compiler memory in the heap otherwise, never given back to the system.
// - V8: a 1 MiB young generation instead of up to 16 MiB per semi-space (a few more scavenges),
//   and JavaScript interpreted only (no Sparkplug, Maglev or TurboFan code): less code kept for a
//   process that mostly waits; it costs CPU in long reconciles (the figures are in README). Not
//   --lite-mode: it implies --jitless, which on Node 20 removes WebAssembly (fetch's HTTP parser)
//   and prints a warning on every command. Not --optimize-for-size since the bundle tree-shakes
//   (scripts/bundle.mjs): 3 MiB of idle RSS for half again an apply's CPU (300 services: 3.1 s
//   without it, 4.5 s with it).
// - V8's memory reducer (the GC that gives a burst's garbage back once allocation slows) starts 1 s
//   after a reconcile instead of 8 s: an idle daemon is back to its resting size within a second
//   of converging (98 MiB for the first 4 s otherwise), at no measured cost in CPU.
export const PRODUCTION_ENV = Object.freeze({ MALLOC_MMAP_THRESHOLD_: '16384', MALLOC_TRIM_THRESHOLD_: '0' });
export const PRODUCTION_NODE_FLAGS = Object.freeze(['--max-semi-space-size=1', '--no-opt', '--no-sparkplug', '--no-maglev', '--gc-memory-reducer-start-delay-ms=1000']);
