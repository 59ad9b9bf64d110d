import { telnyxHarness, telnyxPcmaHarness } from './harness.js';

export { type FakeTelnyxApiOptions, startFakeTelnyxApi } from './fake-api.js';
export { createTelnyxHarness, telnyxHarness, telnyxOutboundProblem, telnyxPcmaHarness } from './harness.js';

/** Every Telnyx harness, one per G.711 coding: what bench, fuzz and the simulator discover. */
export const harnesses = [telnyxHarness, telnyxPcmaHarness];
