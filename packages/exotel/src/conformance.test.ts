import { describeCarrierConformance } from '@callwire/testing';
import { exotelHarness } from './harness.js';

describeCarrierConformance(exotelHarness);
