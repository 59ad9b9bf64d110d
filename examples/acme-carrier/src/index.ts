export { acmeCallControl } from './call-control.js';
export { acme, detectAcmeCall } from './carrier.js';
export { ACME_INBOUND_EVENTS, type AcmeInboundEvent, AcmeInboundEventSchema } from './events.js';
export {
  AcmeCallParamsSchema,
  type AcmeOptions,
  AcmeOptionsSchema,
  type ResolvedAcmeOptions,
} from './options.js';
