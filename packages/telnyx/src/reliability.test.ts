// The REST fault matrix of Telnyx's hang-up and the leaked-credential check, on its fake API (a real local server).
import { describeHangUpFaultMatrix, describeSecretsCheck } from '@callwire/testing';
import { telnyxHarness } from './testing/harness.js';

describeHangUpFaultMatrix(telnyxHarness);
describeSecretsCheck(telnyxHarness);
