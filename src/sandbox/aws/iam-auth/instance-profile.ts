// A node's instance profile credentials: what a pod without IRSA gets from the instance metadata
// service (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html):
// a session of the node role named after the instance (assumed-role/<role>/<instance-id>), whose
// calls are authorised against the role's policies as they are at each call.
import { randomBytes } from 'node:crypto';
import type { IamState } from '../services/iam/state.js';
import type { IamEnforcer } from './enforcer.js';
import { rolePolicies } from './web-identity.js';

const alnum = (n: number) => Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('');

/** Returns the access key of the instance's role session (one per role and instance), put under enforcement. */
export function instanceProfileSessions(o: { accountId: string; enforcer: IamEnforcer; iam: () => IamState }) {
  const keys = new Map<string, string>();
  return async (roleArn: string, instanceId: string): Promise<string> => {
    const existing = keys.get(`${roleArn}|${instanceId}`);
    if (existing) return existing;
    const roleName = roleArn.split('/').pop() ?? '';
    const accessKey = `ASIA${alnum(16)}`;
    await o.enforcer.enforce(accessKey, { arn: `arn:aws:sts::${o.accountId}:assumed-role/${roleName}/${instanceId}`, policies: () => rolePolicies(o.iam(), roleName) });
    keys.set(`${roleArn}|${instanceId}`, accessKey);
    return accessKey;
  };
}
