import { describeCarrierConformance } from '@callwire/testing';
import { plivoHarness, plivoL16Harness } from './harness.js';

describeCarrierConformance(plivoHarness);
describeCarrierConformance(plivoL16Harness);
