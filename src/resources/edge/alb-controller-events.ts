// What the load balancer controller last complained about for a group's Ingresses: its Warning
// Events (FailedBuildModel, FailedDeployModel) newer than its last SuccessfullyReconciled. Shown
// while platformd waits for the ALB, so "check the Ingress events" comes with the events.
import type { KindContext } from '../kind.js';

export interface ControllerEvent {
  type?: string;
  reason?: string;
  message?: string;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: { kind?: string; name?: string; namespace?: string };
}

/** Pure: the newest Warning about these Ingresses that no later success has superseded. */
export function latestWarning(events: ControllerEvent[], ingresses: { namespace: string; name: string }[]): string | undefined {
  const about = (e: ControllerEvent) => e.involvedObject?.kind === 'Ingress'
    && ingresses.some((i) => i.name === e.involvedObject?.name && i.namespace === (e.involvedObject?.namespace ?? i.namespace));
  const at = (e: ControllerEvent) => Date.parse(e.lastTimestamp ?? e.eventTime ?? '') || 0;
  const mine = events.filter(about).sort((a, b) => at(a) - at(b));
  const lastOk = Math.max(0, ...mine.filter((e) => e.reason === 'SuccessfullyReconciled').map(at));
  const warning = mine.filter((e) => e.type === 'Warning' && (lastOk === 0 || at(e) > lastOk)).at(-1);
  return warning ? `${warning.reason}: ${warning.message}` : undefined;
}

/** Read the group's Ingress events (one list per namespace); undefined when none or unreadable. */
export async function controllerWarning(ctx: KindContext, ingresses: { namespace: string; name: string }[]): Promise<string | undefined> {
  try {
    if (!(await ctx.kube.available())) return undefined;
    const api = await ctx.kube.objects();
    const events: ControllerEvent[] = [];
    for (const ns of [...new Set(ingresses.map((i) => i.namespace))]) {
      const list = await api.list('v1', 'Event', ns, undefined, undefined, undefined, 'involvedObject.kind=Ingress');
      events.push(...(list.items as unknown as ControllerEvent[]));
    }
    return latestWarning(events, ingresses);
  } catch {
    // Diagnostics only: never fail a wait because the events could not be read.
    return undefined;
  }
}
