import { describeCarrierConformance } from '@callwire/testing';
import { twilioHarness } from './testing/harness.js';

describeCarrierConformance(twilioHarness);
