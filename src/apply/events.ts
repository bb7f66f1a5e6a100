// Typed events the engine emits while planning and applying; the CLI, log, metrics and /status
// subscribe. Engine code never writes to stdout itself.

export type ApplyEvent =
  | { type: 'observe-begin'; kinds: number }
  | { type: 'observe-start'; kind: string }
  | { type: 'observe-done'; kind: string; count: number; durationMs: number }
  | { type: 'change-start'; id: string; action: string }
  | { type: 'progress'; id: string; message: string; elapsedMs: number }
  | { type: 'change-done'; id: string; action: string; durationMs: number }
  | { type: 'change-failed'; id: string; action: string; error: string }
  | { type: 'change-skipped'; id: string; because: string }
  | { type: 'retry'; id: string; attempt: number; delayMs: number; error: string };
