import type { ConnectLoadCall } from './load-call.js';

/** `@callwire/testing`'s call simulator as a load-test client, or `undefined` when it is not built. */
export async function simulatorClient(): Promise<{ name: string; connect: ConnectLoadCall } | undefined> {
  return undefined;
}
