import { twilioHarness } from './harness.js';

export { type FakeTwilioApiOptions, startFakeTwilioApi } from './fake-api.js';
export { twilioHarness, twilioOutboundProblem } from './harness.js';

/** Every Twilio harness (one: the wire is always mu-law at 8 kHz): what bench, fuzz and the simulator discover. */
export const harnesses = [twilioHarness];
