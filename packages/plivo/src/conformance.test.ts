import { describeCarrierConformance } from '@callwire/testing';
import { plivoHarness, plivoL16Harness } from './testing/harness.js';

describeCarrierConformance(plivoHarness);
describeCarrierConformance(plivoL16Harness);
