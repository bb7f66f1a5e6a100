// CreateListener, ModifyListener, DeleteListener, DescribeListeners. HTTPS listeners need a
// certificate (ISSUED, when the ACM emulator is wired in); one listener per port; a repeated
// create with identical settings returns the existing listener.
import { ServiceError, type OperationHandler } from '../../service.js';
import { notFoundFor, type Elbv2Deps } from './deps.js';
import { checkForwardTargets } from './forward-check.js';
import { list, num, page, required, str, tagsInput, validation } from './input.js';
import { normaliseActions } from './rule-model.js';
import { hexId, type Certificate, type Elbv2State, type Listener } from './state.js';
import { wireListener } from './wire.js';

const DEFAULT_SSL_POLICY = 'ELBSecurityPolicy-2016-08';
/** ALB quota: listeners per load balancer. */
const MAX_LISTENERS = 50;

export function listenerOperations(deps: Elbv2Deps): Record<string, OperationHandler> {
  return {
    CreateListener(input, ctx) {
      const state = deps.state(ctx);
      const lbArn = required(input.LoadBalancerArn, 'LoadBalancerArn');
      if (!state.loadBalancers.has(lbArn)) throw notFoundFor(lbArn);
      const protocol = protocolOf(input.Protocol);
      const port = portOf(input.Port);
      const certificates = certificatesOf(deps, input.Certificates, protocol);
      const sslPolicy = protocol === 'HTTPS' ? sslPolicyOf(input.SslPolicy) : undefined;
      const defaultActions = normaliseActions(input.DefaultActions, (a) => state.targetGroups.get(a));
      checkForwardTargets(state, lbArn, protocol, defaultActions);
      const existing = state.listenersOf(lbArn).find((l) => l.port === port);
      if (existing) {
        const same = existing.protocol === protocol && JSON.stringify(existing.certificates) === JSON.stringify(certificates)
          && JSON.stringify(existing.defaultActions) === JSON.stringify(defaultActions);
        if (!same) throw new ServiceError('DuplicateListener', `A listener already exists on port ${port} of this load balancer`, 400);
        return { Listeners: [wireListener(existing)] };
      }
      if (state.listenersOf(lbArn).length >= MAX_LISTENERS) throw new ServiceError('TooManyListeners', `You've reached the limit on the number of listeners per load balancer`, 400);
      const lbTail = lbArn.split(':loadbalancer/')[1]!;
      const listener: Listener = {
        arn: state.arn(`listener/${lbTail}/${hexId()}`),
        lbArn,
        port,
        protocol,
        sslPolicy,
        certificates,
        defaultActions,
        alpnPolicy: list<string>(input.AlpnPolicy).length > 0 ? list<string>(input.AlpnPolicy) : undefined,
      };
      state.listeners.set(listener.arn, listener);
      state.tags.set(listener.arn, new Map(tagsInput(input.Tags)));
      state.changed();
      return { Listeners: [wireListener(listener)] };
    },

    ModifyListener(input, ctx) {
      const state = deps.state(ctx);
      const listener = getListener(state, input.ListenerArn);
      const protocol = input.Protocol !== undefined ? protocolOf(input.Protocol) : listener.protocol;
      const port = input.Port !== undefined ? portOf(input.Port) : listener.port;
      if (port !== listener.port && state.listenersOf(listener.lbArn).some((l) => l.port === port)) {
        throw new ServiceError('DuplicateListener', `A listener already exists on port ${port} of this load balancer`, 400);
      }
      const certificates = list(input.Certificates).length > 0 ? certificatesOf(deps, input.Certificates, protocol)
        : protocol === 'HTTPS' && listener.certificates.length === 0 ? certificatesOf(deps, [], protocol) : listener.certificates;
      const defaultActions = list(input.DefaultActions).length > 0
        ? normaliseActions(input.DefaultActions, (a) => state.targetGroups.get(a)) : listener.defaultActions;
      checkForwardTargets(state, listener.lbArn, protocol, defaultActions);
      for (const r of state.rulesOf(listener.arn)) checkForwardTargets(state, listener.lbArn, protocol, r.actions);
      Object.assign(listener, {
        protocol,
        port,
        certificates: protocol === 'HTTPS' ? certificates : [],
        sslPolicy: protocol === 'HTTPS' ? (input.SslPolicy !== undefined ? sslPolicyOf(input.SslPolicy) : listener.sslPolicy ?? DEFAULT_SSL_POLICY) : undefined,
        defaultActions,
      });
      state.changed();
      return { Listeners: [wireListener(listener)] };
    },

    DeleteListener(input, ctx) {
      const state = deps.state(ctx);
      const listener = getListener(state, input.ListenerArn);
      for (const r of state.rulesOf(listener.arn)) {
        state.rules.delete(r.arn);
        state.tags.delete(r.arn);
      }
      state.listeners.delete(listener.arn);
      state.tags.delete(listener.arn);
      state.changed();
      return {};
    },

    DescribeListeners(input, ctx) {
      const state = deps.state(ctx);
      const lbArn = str(input.LoadBalancerArn);
      const arns = list<string>(input.ListenerArns);
      if (!lbArn && arns.length === 0) throw validation('You must specify either listener ARNs or a load balancer ARN');
      let listeners: Listener[];
      if (arns.length > 0) {
        listeners = arns.map((a) => getListener(state, a));
      } else {
        if (!state.loadBalancers.has(lbArn!)) throw notFoundFor(lbArn!);
        listeners = state.listenersOf(lbArn!);
      }
      const p = page(listeners, input);
      return { Listeners: p.items.map(wireListener), NextMarker: p.NextMarker };
    },
  };
}

/** A listener by ARN or ListenerNotFound. */
export function getListener(state: Elbv2State, arnInput: unknown): Listener {
  const arn = required(arnInput, 'ListenerArn');
  const l = state.listeners.get(arn);
  if (!l) throw new ServiceError('ListenerNotFound', 'One or more listeners not found', 400);
  return l;
}

function protocolOf(v: unknown): string {
  const p = required(v, 'Protocol');
  if (p !== 'HTTP' && p !== 'HTTPS') throw new ServiceError('UnsupportedProtocol', `Protocol '${p}' is not supported by application load balancers`, 400);
  return p;
}

function portOf(v: unknown): number {
  const port = num(v, 'Port');
  if (port === undefined || port < 1 || port > 65535) throw validation(`Port '${String(v)}' must be between 1 and 65535`);
  return port;
}

function sslPolicyOf(v: unknown): string {
  const policy = str(v) ?? DEFAULT_SSL_POLICY;
  if (!/^ELBSecurityPolicy-[A-Za-z0-9-]+$/.test(policy)) throw new ServiceError('SSLPolicyNotFound', `SSL policy '${policy}' not found`, 400);
  return policy;
}

function certificatesOf(deps: Elbv2Deps, v: unknown, protocol: string): Certificate[] {
  const certs = list<Record<string, any>>(v).map((c) => ({ CertificateArn: String(c.CertificateArn ?? '') }));
  if (protocol !== 'HTTPS') return [];
  if (certs.length === 0) throw validation('A certificate must be specified for HTTPS listeners');
  for (const c of certs) {
    if (!c.CertificateArn) throw validation('A certificate must be specified for HTTPS listeners');
    if (!deps.hooks.certificateStatus) continue;
    const status = deps.hooks.certificateStatus(c.CertificateArn);
    if (status === undefined) throw new ServiceError('CertificateNotFound', `Certificate '${c.CertificateArn}' not found`, 400);
    // A listener can only use an ISSUED certificate (aws-lifecycles-and-errors.md §4).
    if (status !== 'ISSUED') throw new ServiceError('UnsupportedCertificate', `Certificate '${c.CertificateArn}' is not issued (status ${status})`, 400);
  }
  return certs;
}
