// ops/iam/platformd-policy.json must allow exactly the AWS operations the product code can call:
// every `XxxCommand` (and `paginateXxx`) imported from an @aws-sdk/client-* package outside
// src/sandbox/ becomes `<iam prefix>:Xxx`; the policy may allow nothing more, save the actions AWS
// checks as side effects of those calls (listed in SIDE_EFFECT_ACTIONS with the reason).
import t from 'tap';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const IAM_PREFIX: Record<string, string> = {
  'client-ec2': 'ec2',
  'client-iam': 'iam',
  'client-sts': 'sts',
  'client-eks': 'eks',
  'client-acm': 'acm',
  'client-route-53': 'route53',
  'client-elastic-load-balancing-v2': 'elasticloadbalancing',
  'client-ecr': 'ecr',
};

/** Actions IAM evaluates although no SDK call of ours is named after them. */
const SIDE_EFFECT_ACTIONS: Record<string, string> = {
  'iam:PassRole': 'CreateCluster and CreateNodegroup pass the cluster and node roles to EKS',
  'iam:CreateServiceLinkedRole': 'EKS creates its service-linked roles on the first cluster/node group',
  'ec2:CreateTags': 'CreateVpc, CreateSubnet, … with TagSpecification need ec2:CreateTags on create',
  'sts:GetCallerIdentity': 'the EKS bearer token is a presigned GetCallerIdentity request',
  'ecr:TagResource': 'CreateRepository with tags needs ecr:TagResource (https://docs.aws.amazon.com/AmazonECR/latest/userguide/ecr-using-tags.html)',
};

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (path === join('src', 'sandbox')) continue;
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (path.endsWith('.ts')) out.push(path);
  }
  return out;
}

/** Every `service:Operation` the product code can call. */
function calledActions(): Set<string> {
  const actions = new Set<string>();
  const importRe = /import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*'@aws-sdk\/(client-[a-z0-9-]+)'/g;
  for (const file of sourceFiles('src')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(importRe)) {
      const prefix = IAM_PREFIX[m[2]!];
      if (!prefix) continue;
      for (const raw of m[1]!.split(',')) {
        const name = raw.trim().split(/\s+as\s+/)[0]!.replace(/^type\s+/, '');
        const command = /^([A-Z][A-Za-z0-9]+)Command$/.exec(name)?.[1] ?? /^paginate([A-Z][A-Za-z0-9]+)$/.exec(name)?.[1];
        if (command) actions.add(`${prefix}:${command}`);
      }
    }
  }
  return actions;
}

function policyActions(): Set<string> {
  const policy = JSON.parse(readFileSync('ops/iam/platformd-policy.json', 'utf8'));
  const out = new Set<string>();
  for (const s of policy.Statement) {
    if (s.Effect !== 'Allow') continue;
    for (const a of Array.isArray(s.Action) ? s.Action : [s.Action]) {
      if (a.includes('*')) throw new Error(`wildcard action ${a} in the least-privilege policy`);
      out.add(a);
    }
  }
  return out;
}

t.test('the policy allows every AWS operation the code can call', async (t) => {
  const called = calledActions();
  t.ok(called.size > 20, `found ${called.size} called operations`);
  const allowed = policyActions();
  const missing = [...called].filter((a) => !allowed.has(a)).sort();
  t.same(missing, [], 'operations called but not allowed');
});

t.test('the policy allows no operation the code never calls', async (t) => {
  const called = calledActions();
  const extra = [...policyActions()].filter((a) => !called.has(a) && !(a in SIDE_EFFECT_ACTIONS)).sort();
  t.same(extra, [], 'operations allowed but never called');
});

t.test('mutating EC2 calls are scoped by the platform tag', async (t) => {
  const policy = JSON.parse(readFileSync('ops/iam/platformd-policy.json', 'utf8'));
  const ec2Mutations = policy.Statement.filter((s: any) => [s.Action].flat().some((a: string) => /^ec2:(Delete|Modify|Replace|Disassociate|Detach|Release)/.test(a)));
  t.ok(ec2Mutations.length > 0);
  for (const s of ec2Mutations) {
    t.ok(s.Condition?.StringLike?.['aws:ResourceTag/platformd.dev/platform'] ?? s.Condition?.StringEquals?.['aws:ResourceTag/platformd.dev/platform'],
      `${s.Sid} is conditioned on the platform tag`);
  }
});
