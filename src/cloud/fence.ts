// Fencing at the narrowest place every change passes through: the AWS SDK clients' middleware and
// the Kubernetes client check the fence of the apply they run for (carried by AsyncLocalStorage
// through every await of that apply) before each mutating call is sent, retries included. A
// replica that lost its leadership therefore cannot send another change, even halfway through a
// kind's create that makes several calls.
import { AsyncLocalStorage } from 'node:async_hooks';

const fences = new AsyncLocalStorage<() => void>();

/** Run `fn` with `fence` guarding every mutating AWS and Kubernetes call it makes. */
export function withFence<T>(fence: (() => void) | undefined, fn: () => Promise<T>): Promise<T> {
  return fence ? fences.run(fence, fn) : fn();
}

/** Throws (the fence's error) when the current apply may no longer change anything. */
export function checkFence(): void {
  fences.getStore()?.();
}

/** AWS operations that only read: Describe*, List*, Get*, and STS's caller identity. Everything else changes something. */
export function isMutatingAwsOperation(operation: string): boolean {
  return !/^(Describe|List|Get|Head|Lookup|Search)/.test(operation);
}
