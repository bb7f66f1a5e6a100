// coordination.k8s.io/v1 Lease times are metav1.MicroTime: the API server decodes them with
// time.Parse and the layout RFC3339Micro "2006-01-02T15:04:05.000000Z07:00"
// (k8s.io/apimachinery/pkg/apis/meta/v1/micro_time.go UnmarshalJSON), and Go's parser requires
// exactly the six fractional digits the layout has (time/format.go, stdFracSecond0). A JavaScript
// toISOString() time (milliseconds) is refused as a decode error: 400 BadRequest, worded by
// transformDecodeError (k8s.io/apiserver/pkg/endpoints/handlers/rest.go).
import { KubeError, type KubeObject } from './store.js';

const LAYOUT = '2006-01-02T15:04:05.000000Z07:00';
const MICRO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(Z|[+-]\d\d:\d\d)$/;

/** Throws the API server's decode error unless every MicroTime of the Lease has six fractional digits. */
export function admitLeaseTimes(lease: KubeObject): void {
  const spec = (lease as { spec?: Record<string, unknown> }).spec ?? {};
  for (const field of ['acquireTime', 'renewTime']) {
    const value = spec[field];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string' && MICRO.test(value)) continue;
    const seconds = typeof value === 'string' ? /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.exec(value)?.[0] : undefined;
    const rest = typeof value === 'string' && seconds ? value.slice(seconds.length) : String(value);
    throw new KubeError(400, 'BadRequest', `Lease in version "v1" cannot be handled as a Lease: parsing time ${JSON.stringify(String(value))} as ${JSON.stringify(LAYOUT)}: cannot parse ${JSON.stringify(rest)} as ".000000"`);
  }
}
