// IAM policy documents compared by meaning, not by bytes: IAM returns them URL-encoded, may
// reorder statements, and treats "x" and ["x"] alike. Normalise both sides, then compare.
import { compareText } from '../../compare-text.js';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[] | PolicyStatement;
}

/** Parse a document as IAM returns it (URL-encoded JSON) or as we write it (JSON or object). */
export function parsePolicy(doc: string | PolicyDocument): PolicyDocument {
  if (typeof doc !== 'string') return doc;
  const text = doc.trim().startsWith('%7B') || doc.trim().startsWith('%7b') ? decodeURIComponent(doc) : doc;
  return JSON.parse(text) as PolicyDocument;
}

function sortedSet(v: unknown): unknown {
  if (v === undefined) return undefined;
  const list = Array.isArray(v) ? v : [v];
  return [...new Set(list.map(String))].sort();
}

function normalisePrincipal(p: unknown): unknown {
  if (p === '*' || p === undefined) return p;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(p as object).sort()) out[k] = sortedSet((p as Record<string, unknown>)[k]);
  return out;
}

function normaliseCondition(c: PolicyStatement['Condition']): unknown {
  if (!c) return undefined;
  const out: Record<string, Record<string, unknown>> = {};
  for (const op of Object.keys(c).sort()) {
    out[op] = {};
    for (const key of Object.keys(c[op]!).sort()) out[op]![key] = sortedSet(c[op]![key]);
  }
  return out;
}

/** Pure: a canonical form — singletons as arrays, sets sorted, statements sorted, Sids kept. */
export function normalisePolicy(doc: string | PolicyDocument): PolicyDocument {
  const parsed = parsePolicy(doc);
  const statements = (Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement]).map((s) => JSON.parse(JSON.stringify({
    Sid: s.Sid,
    Effect: s.Effect,
    Principal: normalisePrincipal(s.Principal),
    Action: sortedSet(s.Action),
    NotAction: sortedSet(s.NotAction),
    Resource: sortedSet(s.Resource),
    Condition: normaliseCondition(s.Condition),
  })) as PolicyStatement);
  statements.sort((a, b) => compareText(JSON.stringify(a), JSON.stringify(b)));
  return { Version: parsed.Version ?? '2008-10-17', Statement: statements };
}

export function policiesEqual(a: string | PolicyDocument, b: string | PolicyDocument): boolean {
  return JSON.stringify(normalisePolicy(a)) === JSON.stringify(normalisePolicy(b));
}

/** A service trust policy: `service` may assume the role. */
export function serviceTrust(service: string, actions: string[] = ['sts:AssumeRole']): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: actions }] };
}

/** The exact IRSA trust policy for one service account (shared/reference/eks-auth-and-irsa.md §4). */
export function irsaTrust(providerArn: string, issuerUrl: string, namespace: string, serviceAccount: string): PolicyDocument {
  const host = issuerUrl.replace(/^https:\/\//, '');
  return {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { Federated: providerArn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { [`${host}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`, [`${host}:aud`]: 'sts.amazonaws.com' } },
    }],
  };
}
