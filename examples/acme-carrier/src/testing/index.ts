import { acmeHarness } from './harness.js';

export { startFakeAcmeApi } from './fake-api.js';
export { acmeHarness } from './harness.js';

/** Every Acme harness: what bench, fuzz and the simulator discover in a monorepo's packages/. */
export const harnesses = [acmeHarness];
