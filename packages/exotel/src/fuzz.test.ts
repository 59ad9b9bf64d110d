// Hostile input for Exotel's deserialize: 2,000 cases here, `pnpm fuzz` runs 100,000.
import { itFuzzesDeserialize } from '@callwire/testing';
import { exotelHarness } from './testing/harness.js';

itFuzzesDeserialize(exotelHarness);
