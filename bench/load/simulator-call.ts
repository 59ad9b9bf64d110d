import type { CarrierHarness } from '@callwire/testing';
import type { LoadClient } from './load-client.js';

/** `@callwire/testing`'s call simulator behaving as `harness`'s carrier, as the load-test client. */
export async function simulatorLoadClient(harness: CarrierHarness<unknown, unknown>): Promise<LoadClient> {
  const { startSimulatedCall } = await import('@callwire/testing');
  const { runSimulatorStep } = await import('./simulator-step.js');
  return {
    name: '@callwire/testing startSimulatedCall',
    runStep: (server, options) => runSimulatorStep(startSimulatedCall, harness, server, options),
  };
}
