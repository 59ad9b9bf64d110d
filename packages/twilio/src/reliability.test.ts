// The REST fault matrix of Twilio's hang-up and the leaked-credential check, on its fake API (a real local server).
import { describeHangUpFaultMatrix, describeSecretsCheck } from '@callwire/testing';
import { twilioHarness } from './harness.js';

describeHangUpFaultMatrix(twilioHarness);
// Known leaks found by the check (skipped with the reason in the test title until fixed; then delete them here).
describeSecretsCheck(twilioHarness, {
  knownLeaks: {
    'an error body echoing it across the 500-character cut':
      'core readBody cuts the body to 500 chars before scrubbing secrets; fix in core/src/hang-up.ts: scrub the text, then slice',
  },
});
