import { describeCarrier } from '@callwire/testing/vitest';
import { acmeHarness } from './testing/harness.js';

describeCarrier(acmeHarness);
