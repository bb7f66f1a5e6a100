// Typed events the engine emits while planning and applying: the one way its progress leaves it.
// The CLI's progress lines, the daemon's reconcile log, /status and the metrics all subscribe
// through ApplyEventSubscriber. Engine code never writes to stdout itself.

export type ApplyEvent =
  | { type: 'observe-begin'; kinds: number }
  | { type: 'observe-start'; kind: string }
  | { type: 'observe-done'; kind: string; count: number; durationMs: number }
  | { type: 'change-start'; id: string; action: string }
  | { type: 'progress'; id: string; message: string; elapsedMs: number }
  | { type: 'change-done'; id: string; action: string; durationMs: number }
  /** `error` names the change ("create network/vpc: …", as in the result); `cause` is what went wrong, for lines that already name it. */
  | { type: 'change-failed'; id: string; action: string; error: string; cause?: string }
  | { type: 'change-skipped'; id: string; because: string }
  | { type: 'retry'; id: string; attempt: number; delayMs: number; error: string };

/** A consumer of the engine's events. Called synchronously as they happen, so it must not block. */
export type ApplyEventSubscriber = (event: ApplyEvent) => void;

/** One subscriber that hands each event to every given one, in order (absent ones are ignored). */
export function fanOut(...subscribers: (ApplyEventSubscriber | undefined)[]): ApplyEventSubscriber {
  const present = subscribers.filter((s): s is ApplyEventSubscriber => s !== undefined);
  return (event) => {
    for (const subscriber of present) subscriber(event);
  };
}

const ACTION_VERBS: Record<string, string> = { '+': 'create', '~': 'update', '-': 'delete', '±': 'replace', '!': 'blocked' };

/** The verb of a change's action symbol ("+" → "create"), or the symbol itself when it has none. */
export function actionVerb(action: string): string {
  return ACTION_VERBS[action] ?? action;
}
