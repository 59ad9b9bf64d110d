// The carrier test kit on Vonage: conformance, hostile input and fuzzing (2,000 cases here, `pnpm fuzz`
// runs 100,000), the hang-up REST fault matrix and the secrets check.
import { describeCarrier } from '@callwire/testing/vitest';
import { vonage8kHarness, vonageHarness } from './testing/harness.js';

describeCarrier(vonageHarness);
describeCarrier(vonage8kHarness, {
  skip: { hangUpFaults: 'the same CallControl as the first harness, whose matrix runs above' },
});
