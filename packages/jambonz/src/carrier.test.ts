// The carrier test kit on jambonz: conformance, hostile input and fuzzing (2,000 cases here, `pnpm fuzz`
// runs 100,000), at jambonz's default 8 kHz and at 16 kHz. There is no REST hang-up (and no credential),
// so the fault matrix and the secrets probes are skipped with that reason.
import { describeCarrier } from '@callwire/testing/vitest';
import { jambonz16kHarness, jambonzHarness } from './testing/harness.js';

describeCarrier(jambonzHarness);
describeCarrier(jambonz16kHarness);
