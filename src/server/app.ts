// The HTTP face of the daemon: build(deps) returns a Fastify instance that never listens by
// itself (tests use inject). One plugin per route group.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { DaemonStatus } from '../daemon-status.js';
import type { PlanResult } from '../engine.js';
import type { ResolvedSpec } from '../platform-spec/resolved.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import { planRoutes } from './routes/plan.js';
import { statusRoutes } from './routes/status.js';
import { hookRoutes } from './routes/hooks.js';
import { reconcileRoutes } from './routes/reconcile.js';
import { statusPageRoutes } from './routes/status-page.js';
import type { ProbeSeries } from '../probe/history.js';
import { MAX_SPEC_BYTES } from '../platform-spec/bounds.js';
import { installErrorHandlers } from './errors.js';
import type { Logger } from '../log/logger.js';

export interface ServerDeps {
  status(): DaemonStatus;
  /** The last hour of probe results per service, for the status page's charts. */
  probeHistory?(): ProbeSeries[];
  ready(): boolean;
  /** Why /readyz answers 503 (e.g. the first clone is running). */
  notReadyReason?(): string;
  registry: Registry;
  /** The spec in force and its protos, for GET /plan. */
  current(): { spec: ResolvedSpec; protosDir: string; commit: string } | undefined;
  /** Plan with the reconcile's clients; stops early when `signal` aborts (the client went away). */
  plan(spec: ResolvedSpec, protosDir: string, signal?: AbortSignal): Promise<PlanResult>;
  /** The protos directory a posted spec is checked against (HEAD's). */
  protosDir(): string;
  trigger(kind: 'webhook' | 'manual'): void;
  /** Bearer token guarding /plan and the endpoints that trigger work (unset: open). */
  apiToken?: string;
  /** Shared secret for webhooks (unset: /hooks/git refuses everything). */
  webhookSecret?: string;
  bodyLimitBytes?: number;
  /** Serve HTTPS with this key and certificate (PEM); unset: plain HTTP, to be fronted by TLS. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** The daemon's logger for what the server must report (a 500's cause); unset: silent. */
  logger?: Logger;
}

export function build(deps: ServerDeps): FastifyInstance {
  // A slow client may hold a connection only so long: the whole request (a trickled body
  // included) within 30 s, idle keep-alive 5 s. Node's own headersTimeout (60 s) bounds headers.
  // NOTE(log): warn and up only — a line per request would drown the reconcile log.
  const log = deps.logger ? { loggerInstance: deps.logger.child({ component: 'http' }, { level: 'warn' }) } : { logger: false };
  const options = { ...log, bodyLimit: deps.bodyLimitBytes ?? MAX_SPEC_BYTES, requestTimeout: 30_000, connectionTimeout: 60_000, keepAliveTimeout: 5_000 };
  // NOTE(tls): the HTTPS instance has the same routes and plugins; only its server type differs.
  const app = (deps.tls ? Fastify({ ...options, https: deps.tls }) : Fastify(options)) as unknown as FastifyInstance;
  // Before the plugins, so every route answers errors with the one body shape.
  installErrorHandlers(app);
  app.register(healthRoutes(deps));
  app.register(metricsRoutes(deps));
  app.register(planRoutes(deps));
  app.register(statusRoutes(deps));
  app.register(hookRoutes(deps));
  app.register(reconcileRoutes(deps));
  app.register(statusPageRoutes(deps));
  return app;
}
