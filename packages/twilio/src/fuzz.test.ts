// Hostile input for Twilio's deserialize: 2,000 cases here, `pnpm fuzz` runs 100,000.
import { itFuzzesDeserialize } from '@callwire/testing';
import { twilioHarness } from './testing/harness.js';

itFuzzesDeserialize(twilioHarness);
