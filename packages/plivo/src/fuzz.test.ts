// Hostile input for Plivo's deserialize: 2,000 cases here, `pnpm fuzz` runs 100,000.
import { itFuzzesDeserialize } from '@callwire/testing';
import { plivoHarness, plivoL16Harness } from './testing/harness.js';

itFuzzesDeserialize(plivoHarness);
itFuzzesDeserialize(plivoL16Harness);
