import { describeCarrierConformance } from '@callwire/testing';
import { vonageHarness } from './harness.js';

describeCarrierConformance(vonageHarness);
