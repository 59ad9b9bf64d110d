// The carrier test kit on Genesys: conformance, hostile input and fuzzing (2,000 cases here, `pnpm fuzz`
// runs 100,000), the hang-up REST fault matrix and the secrets check.
import { describeCarrier } from '@callwire/testing/vitest';
import { genesysHarness } from './testing/harness.js';

describeCarrier(genesysHarness);
