import type { LoadClient } from './load-client.js';

/** `@callwire/testing`'s Plivo call simulator as the load-test client, or `undefined` when it is not built. */
export async function simulatorLoadClient(): Promise<LoadClient | undefined> {
  let testing: typeof import('@callwire/testing');
  try {
    testing = await import('@callwire/testing');
  } catch {
    return undefined;
  }
  if (typeof testing.startSimulatedPlivoCall !== 'function') return undefined;
  const { runSimulatorStep } = await import('./simulator-step.js');
  return {
    name: '@callwire/testing startSimulatedPlivoCall',
    runStep: (server, options) => runSimulatorStep(testing.startSimulatedPlivoCall, server, options),
  };
}
