import { describeCarrierConformance } from '@callwire/testing';
import { exotelHarness } from './testing/harness.js';

describeCarrierConformance(exotelHarness);
