import { describeCarrierConformance } from '@callwire/testing';
import { vonage8kHarness, vonageHarness } from './testing/harness.js';

describeCarrierConformance(vonageHarness);
describeCarrierConformance(vonage8kHarness);
