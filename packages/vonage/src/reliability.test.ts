// The REST fault matrix of Vonage's hang-up and the leaked-credential check, on its fake API (a real local server).
import { describeHangUpFaultMatrix, describeSecretsCheck } from '@callwire/testing';
import { vonageHarness } from './testing/harness.js';

describeHangUpFaultMatrix(vonageHarness);
describeSecretsCheck(vonageHarness);
