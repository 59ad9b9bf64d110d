// The carrier test kit on both Asterisk carriers: conformance, hostile input and fuzzing (2,000 cases
// here, `pnpm fuzz` runs 100,000). Neither has a REST hang-up or a credential: those parts skip.
import { describeCarrier } from '@callwire/testing/vitest';
import { audioSocket16kHarness, audioSocketHarness } from './testing/audiosocket-harness.js';
import {
  asteriskAlawPlainTextHarness,
  asteriskSlin16Harness,
  asteriskUlawHarness,
} from './testing/websocket-harness.js';

describeCarrier(asteriskUlawHarness);
describeCarrier(asteriskSlin16Harness);
describeCarrier(asteriskAlawPlainTextHarness);
describeCarrier(audioSocketHarness);
describeCarrier(audioSocket16kHarness);
