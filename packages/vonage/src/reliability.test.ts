// The REST fault matrix of Vonage's hang-up and the leaked-credential check, on its fake API (a real local server).
import { describeHangUpFaultMatrix, describeSecretsCheck } from '@callwire/testing';
import { vonageHarness } from './harness.js';

describeHangUpFaultMatrix(vonageHarness);
// Known leaks found by the check (skipped with the reason in the test title until fixed; then delete them here).
describeSecretsCheck(vonageHarness, {
  knownLeaks: {
    'an error body echoing the Authorization header':
      'the echoed JWT is longer than the 500-character body cut, so the same core bug applies',
    'an error body echoing it across the 500-character cut':
      'core readBody cuts the body to 500 chars before scrubbing secrets; fix in core/src/hang-up.ts: scrub the text, then slice',
  },
});
