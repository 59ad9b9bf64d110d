import { plivoHarness, plivoL16Harness } from './harness.js';

export { type FakePlivoApiOptions, startFakePlivoApi } from './fake-api.js';
export { createPlivoHarness, type PlivoHarnessFormat, plivoHarness, plivoL16Harness } from './harness.js';

/** Every Plivo harness, one per wire format: what bench, fuzz and the simulator discover. */
export const harnesses = [plivoHarness, plivoL16Harness];
