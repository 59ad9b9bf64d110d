import { exotelHarness } from './harness.js';

export { exotelHarness } from './harness.js';

/**
 * Every Exotel harness: what bench, fuzz and the simulator discover. Exotel has no REST hang-up, so
 * there is no fake Exotel API to start.
 */
export const harnesses = [exotelHarness];
