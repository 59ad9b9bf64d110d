import { describeCarrierConformance } from '@callwire/testing';
import { twilioHarness } from './harness.js';

describeCarrierConformance(twilioHarness);
