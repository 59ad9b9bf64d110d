// Hostile input for Telnyx's deserialize: 2,000 cases here, `pnpm fuzz` runs 100,000.
import { itFuzzesDeserialize } from '@callwire/testing';
import { telnyxHarness, telnyxPcmaHarness } from './testing/harness.js';

itFuzzesDeserialize(telnyxHarness);
itFuzzesDeserialize(telnyxPcmaHarness);
