import { describeCarrierConformance } from '@callwire/testing';
import { telnyxHarness, telnyxPcmaHarness } from './testing/harness.js';

describeCarrierConformance(telnyxHarness);
describeCarrierConformance(telnyxPcmaHarness);
