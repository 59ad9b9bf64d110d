import { vonage8kHarness, vonageHarness } from './harness.js';

export { type FakeVonageApiOptions, startFakeVonageApi } from './fake-api.js';
export { createVonageHarness, vonage8kHarness, vonageHarness, vonageOutboundProblem } from './harness.js';

/** Every Vonage harness, one per wire rate: what bench, fuzz and the simulator discover. */
export const harnesses = [vonageHarness, vonage8kHarness];
