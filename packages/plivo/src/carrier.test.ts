// The carrier test kit on Plivo, for each wire format: conformance, hostile input and fuzzing (2,000
// cases here, `pnpm fuzz` runs 100,000), the hang-up REST fault matrix and the secrets check.
import { describeCarrier } from '@callwire/testing/vitest';
import { plivoHarness, plivoL16Harness } from './testing/harness.js';

describeCarrier(plivoHarness);
describeCarrier(plivoL16Harness, {
  skip: { hangUpFaults: 'the same PlivoCallControl as the mu-law harness, whose matrix runs above' },
});
