import { genesysHarness } from './harness.js';

export {
  GENESYS_OFFERS,
  GENESYS_TEST_ORGANIZATION,
  type GenesysClientEnvelope,
  genesysClientMessage,
  genesysOpenParameters,
} from './client-messages.js';
export { type FakeGenesysClient, openFakeGenesysClient } from './fake-client.js';
export { GENESYS_TEST_API_KEY, GENESYS_TEST_CLIENT_SECRET, genesysHarness } from './harness.js';
export { signGenesysUpgrade } from './sign.js';

/** Every Genesys harness: what bench, fuzz and the simulator discover. Genesys has no REST API to fake. */
export const harnesses = [genesysHarness];
