import { jambonz16kHarness, jambonzHarness } from './harness.js';

export {
  type FakeJambonzCall,
  type FakeJambonzOptions,
  type FakeJambonzSummary,
  JAMBONZ_SUBPROTOCOL,
  startFakeJambonz,
} from './fake-jambonz.js';
export {
  createJambonzHarness,
  type JambonzOpeningInput,
  jambonz16kHarness,
  jambonzDtmfEvent,
  jambonzHarness,
  jambonzMarkEvent,
  jambonzOpening,
  jambonzOutboundProblem,
} from './harness.js';

/**
 * Every jambonz harness, one per rate: what bench, fuzz and the simulator discover. jambonz ends a
 * stream in the protocol (`disconnect`), so there is no fake REST API to start.
 */
export const harnesses = [jambonzHarness, jambonz16kHarness];
