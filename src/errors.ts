// PlatformdError and its one catalogue of stable codes, for failures a caller must tell apart
// without parsing messages (the CLI prints a deliberate error without its stack; the AWS
// classifier recognises an unreachable endpoint). Only codes something throws are listed.

export const ErrorCodes = {
  GRAPH_CYCLE: 'PLATFORMD_GRAPH_CYCLE',
  GRAPH_UNKNOWN_DEPENDENCY: 'PLATFORMD_GRAPH_UNKNOWN_DEPENDENCY',
  OBSERVE_FAILED: 'PLATFORMD_OBSERVE_FAILED',
  APPLY_FAILED: 'PLATFORMD_APPLY_FAILED',
  WAIT_TIMEOUT: 'PLATFORMD_WAIT_TIMEOUT',
  RESOURCE_FAILED: 'PLATFORMD_RESOURCE_FAILED',
  /** What another actor makes (the controller's ALB) is not there yet: retried with backoff. */
  RESOURCE_PENDING: 'PLATFORMD_RESOURCE_PENDING',
  /** A graph node names a kind nobody registered (a programming error: terminal). */
  KIND_UNKNOWN: 'PLATFORMD_KIND_UNKNOWN',
  KUBE_AUTH: 'PLATFORMD_KUBE_AUTH',
  AWS_ENDPOINT: 'PLATFORMD_AWS_ENDPOINT',
  SOURCE_GIT: 'PLATFORMD_SOURCE_GIT',
  USAGE: 'PLATFORMD_USAGE',
  LEASE_CONFLICT: 'PLATFORMD_LEASE_CONFLICT',
  LEASE_API: 'PLATFORMD_LEASE_API',
  NOT_LEADER: 'PLATFORMD_NOT_LEADER',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

const BRAND = Symbol.for('platformd.error');

/**
 * Codes whose failures retrying cannot fix: the input itself is wrong (a dependency cycle, a
 * dependency on a resource nothing produces, a kind nobody registered). Only a new spec, commit
 * or build helps.
 */
const TERMINAL_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCodes.GRAPH_CYCLE, ErrorCodes.GRAPH_UNKNOWN_DEPENDENCY, ErrorCodes.KIND_UNKNOWN,
]);

/** Base of every deliberate platformd error: a stable `code`, a message for humans, an optional cause. */
export class PlatformdError extends Error {
  readonly [BRAND] = true;
  /** True when retrying cannot help (see isTerminalError): by its code, or said so where it is thrown. */
  readonly terminal: boolean;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown; terminal?: boolean },
  ) {
    super(message, options);
    this.name = 'PlatformdError';
    this.terminal = options?.terminal ?? TERMINAL_CODES.has(code);
  }
}

/**
 * True when `err`, or any error in its cause chain, is terminal: withRetry hands it up at once
 * and the daemon waits for a new spec or commit instead of backing off and trying again.
 * The chain is followed because failures are wrapped ("create network/vpc: …") on their way out.
 */
export function isTerminalError(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; typeof current === 'object' && current !== null && depth < 8; depth++) {
    if (isPlatformdError(current) && current.terminal) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Brand check that survives duplicate module copies (unlike instanceof). */
export function isPlatformdError(err: unknown, code?: ErrorCode): err is PlatformdError {
  return typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[BRAND] === true
    && (code === undefined || (err as PlatformdError).code === code);
}

const OPERATION = Symbol.for('platformd.operation');

/**
 * Record which remote call an error came from ("eks:ListAddons") without changing the error's
 * identity: kinds still compare the SDK's error name, and reports name the call. The first tag wins.
 */
export function tagOperation(err: unknown, operation: string): void {
  if (typeof err !== 'object' || err === null || OPERATION in err || !Object.isExtensible(err)) return;
  Object.defineProperty(err, OPERATION, { value: operation, enumerable: false });
}

/** The remote call an error came from, when one was recorded with tagOperation. */
export function operationOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const value = (err as Record<symbol, unknown>)[OPERATION];
  return typeof value === 'string' ? value : undefined;
}

/** The message of any thrown value, including its cause chain, for logs and reports. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // A remote call's error reads "ec2:DescribeVpcs: AuthFailure: <message>" wherever it sits.
  const parts = [operationOf(err) ? describeOne(err) : err.message];
  let cause = (err as { cause?: unknown }).cause;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    if (cause instanceof Error) {
      parts.push(describeOne(cause));
      cause = (cause as { cause?: unknown }).cause;
    } else {
      parts.push(String(cause));
      break;
    }
  }
  return parts.join(': ');
}

function describeOne(err: Error): string {
  const operation = operationOf(err);
  const where = operation && !err.message.startsWith(operation) ? `${operation}: ` : '';
  const name = err.name && err.name !== 'Error' && err.name !== 'PlatformdError' ? `${err.name}: ` : '';
  return `${where}${name}${err.message}`;
}
