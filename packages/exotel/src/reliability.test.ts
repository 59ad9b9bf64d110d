// REST faults and leaked credentials (both skip, with the reason, where Exotel has no hang-up or credential).
import { describeHangUpFaultMatrix, describeSecretsCheck } from '@callwire/testing';
import { exotelHarness } from './testing/harness.js';

describeHangUpFaultMatrix(exotelHarness);
describeSecretsCheck(exotelHarness);
