// The REST fault matrix of Twilio's hang-up and the leaked-credential check, on its fake API (a real local server).
import { describeHangUpFaultMatrix, describeSecretsCheck } from '@callwire/testing';
import { twilioHarness } from './testing/harness.js';

describeHangUpFaultMatrix(twilioHarness);
describeSecretsCheck(twilioHarness);
