// The REST fault matrix of Plivo's hang-up and the leaked-credential check, on its fake API (a real local server).
import { describeHangUpFaultMatrix, describeSecretsCheck } from '@callwire/testing';
import { plivoHarness } from './testing/harness.js';

describeHangUpFaultMatrix(plivoHarness);
describeSecretsCheck(plivoHarness);
