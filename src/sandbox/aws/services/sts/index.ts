// The emulated STS service (awsQuery, signing name sts): GetCallerIdentity, signed normally or as
// the presigned GET URL inside an EKS bearer token; JSON when the caller asks for it;
// AssumeRoleWithWebIdentity for IRSA (iam-auth/web-identity.ts).
import { queryCodec } from '../../protocol/query.js';
import type { WebIdentityFederation, WebIdentityInput } from '../../iam-auth/web-identity.js';
import { ServiceError, type EmulatedService, type OperationHandler, type ProtocolCodec, type RequestContext } from '../../service.js';

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const PRESIGN_MAX_AGE_MS = 15 * 60_000;

/** The sandbox's principals by access key id (anything else is an IAM user named after the key). */
export function callerIdentity(ctx: Pick<RequestContext, 'accountId' | 'accessKeyId'>): { Account: string; Arn: string; UserId: string } {
  return { Account: ctx.accountId, Arn: `arn:aws:iam::${ctx.accountId}:user/sandbox-admin`, UserId: `AIDA${ctx.accessKeyId.slice(-12).toUpperCase()}` };
}

function jsonAware(base: ProtocolCodec): ProtocolCodec {
  return {
    decode: (req) => {
      const decoded = base.decode(req);
      // A presigned request carries its auth in the query string: check what STS checks.
      const date = req.query.get('X-Amz-Date');
      if (req.method === 'GET' && date) {
        const signedAt = Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8), +date.slice(9, 11), +date.slice(11, 13), +date.slice(13, 15));
        const expires = Number(req.query.get('X-Amz-Expires') ?? 0);
        if (!(expires >= 0 && expires <= 604800)) throw new ServiceError('AuthorizationQueryParametersError', 'X-Amz-Expires must be between 0 and 604800', 400);
        if (Date.now() - signedAt > PRESIGN_MAX_AGE_MS) throw new ServiceError('ExpiredToken', 'The security token included in the request is expired', 403);
      }
      return decoded;
    },
    encodeResult: (operation, output, ctx) => {
      if (ctx.accept?.includes('application/json')) {
        return { status: 200, headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ [`${operation}Response`]: { [`${operation}Result`]: output, ResponseMetadata: { RequestId: ctx.requestId } } }) };
      }
      return base.encodeResult(operation, output, ctx);
    },
    encodeError: (err, ctx, operation) => base.encodeError(err, ctx, operation),
  };
}

export class StsService implements EmulatedService {
  readonly name = 'sts';
  readonly signingName = 'sts';
  readonly codec = jsonAware(queryCodec({ flavour: 'aws', xmlns: XMLNS }));
  readonly throttle = { code: 'Throttling', status: 400, message: 'Rate exceeded' };
  /** IRSA's federation (aws/iam-auth/web-identity.ts); the sandbox world wires it to IAM and the clusters' issuers. */
  webIdentity?: Pick<WebIdentityFederation, 'assume'>;
  readonly operations: Record<string, OperationHandler> = {
    GetCallerIdentity: (_input, ctx) => callerIdentity(ctx),
    AssumeRoleWithWebIdentity: (input: WebIdentityInput, ctx) => {
      if (!this.webIdentity) throw new ServiceError('InvalidIdentityToken', 'No OpenIDConnect provider found in your account', 400);
      return this.webIdentity.assume(input, ctx);
    },
  };
  reset(): void {}
}
