import { describeCarrierConformance } from '@callwire/testing';
import { telnyxHarness, telnyxPcmaHarness } from './harness.js';

describeCarrierConformance(telnyxHarness);
describeCarrierConformance(telnyxPcmaHarness);
