import { type CallControl, callControlToken, registeredCarriers } from '@callwire/core';
import type { DependencyContainer } from 'tsyringe';
import type { ServerMetrics } from './metrics.js';

function metered(control: CallControl, metrics: ServerMetrics): CallControl {
  return {
    carrier: control.carrier,
    async hangUp(callId) {
      const startedAt = performance.now();
      const result = await control.hangUp(callId);
      metrics.hungUp(control.carrier, result.outcome, (performance.now() - startedAt) / 1000);
      return result;
    },
    // Transfer and DTMF pass through unmetered (bound: carriers implement them as methods).
    ...(control.transfer ? { transfer: control.transfer.bind(control) } : {}),
    ...(control.sendDtmf ? { sendDtmf: control.sendDtmf.bind(control) } : {}),
  };
}

/**
 * A child of `container` in which the `CallControl` of every carrier registered so far reports each
 * hang-up's outcome and latency to `metrics`. Serializers created from the child resolve the wrapper
 * (they resolve `callControlToken` from their call's scope), so no carrier needs to know about metrics.
 */
export function withMeteredHangUps(
  container: DependencyContainer,
  metrics: ServerMetrics,
): DependencyContainer {
  const child = container.createChildContainer();
  for (const plugin of registeredCarriers(container)) {
    const token = callControlToken(plugin.name);
    if (!container.isRegistered(token, true)) continue;
    child.register(token, { useFactory: () => metered(container.resolve(token), metrics) });
  }
  return child;
}
