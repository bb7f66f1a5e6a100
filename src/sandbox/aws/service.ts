// What one emulated AWS service plugs into the emulator with: its protocol codec and its
// operation handlers. Handlers work on decoded inputs and wire-shaped outputs; state lives in
// the service's own state module, per account and region.
import type { IncomingHttpHeaders } from 'node:http';
import type { ScaledClock } from '../clock.js';

export interface RawRequest {
  method: string;
  /** Path without the query string, with the endpoint's path prefix removed. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** An error the service returns on the wire: code as AWS spells it, HTTP status, message. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
    /** Extra body members some protocols carry (e.g. EKS clusterName). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export interface RequestContext {
  requestId: string;
  accountId: string;
  region: string;
  /** The caller's access key id, from the SigV4 Authorization header or presigned query. */
  accessKeyId: string;
  clock: ScaledClock;
  /** Host:port the request was addressed to (for URLs the service hands back). */
  host: string;
  /** The request's Accept header (STS answers JSON when asked, as the EKS authenticator relies on). */
  accept?: string;
}

export interface ProtocolCodec {
  /** Decode the request into its operation name and an input object. Throws ServiceError when malformed. */
  decode(req: RawRequest): { operation: string; input: any };
  encodeResult(operation: string, output: unknown, ctx: RequestContext): RawResponse;
  encodeError(err: ServiceError, ctx: RequestContext, operation: string): RawResponse;
}

export type OperationHandler = (input: any, ctx: RequestContext) => unknown | Promise<unknown>;

export interface EmulatedService {
  /** Short name used in the call log and fault rules: ec2, iam, sts, eks, acm, route53, elbv2. */
  name: string;
  /** SigV4 signing name that routes requests to this service. */
  signingName: string;
  codec: ProtocolCodec;
  operations: Record<string, OperationHandler>;
  /** How this service says "slow down": code and HTTP status. */
  throttle: { code: string; status: number; message: string };
  /** Clear all state (tests). */
  reset(): void;
}
