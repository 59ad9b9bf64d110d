// Hostile input for Vonage's deserialize: 2,000 cases here, `pnpm fuzz` runs 100,000.
import { itFuzzesDeserialize } from '@callwire/testing';
import { vonage8kHarness, vonageHarness } from './testing/harness.js';

itFuzzesDeserialize(vonageHarness);
itFuzzesDeserialize(vonage8kHarness);
