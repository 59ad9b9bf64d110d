import type { DependencyContainer, InjectionToken } from 'tsyringe';
import type { CallControl } from './call-control.js';
import type { CallInfo } from './plugin.js';
import type { WireSerializer } from './serializer.js';

/** Builds one call's serializer; `scope` is that call's own child container. */
export type SerializerFactory = (call: CallInfo, scope: DependencyContainer) => WireSerializer;

/** The current call's `CallInfo`, registered in each per-call child container. */
export const CALL_INFO: InjectionToken<CallInfo> = Symbol('callwire.call-info');

interface CarrierTokens {
  readonly serializerFactory: InjectionToken<SerializerFactory>;
  readonly callControl: InjectionToken<CallControl>;
}

// One pair of symbols per carrier name, made once: the same name always gives the same (typed) token.
const tokensByCarrier = new Map<string, CarrierTokens>();

function tokensOf(carrier: string): CarrierTokens {
  let tokens = tokensByCarrier.get(carrier);
  if (tokens === undefined) {
    tokens = {
      serializerFactory: Symbol(`callwire.${carrier}.serializer-factory`),
      callControl: Symbol(`callwire.${carrier}.call-control`),
    };
    tokensByCarrier.set(carrier, tokens);
  }
  return tokens;
}

/** Token under which a carrier registers its `SerializerFactory`. */
export function serializerFactoryToken(carrier: string): InjectionToken<SerializerFactory> {
  return tokensOf(carrier).serializerFactory;
}

/** Token under which a carrier registers its `CallControl`. */
export function callControlToken(carrier: string): InjectionToken<CallControl> {
  return tokensOf(carrier).callControl;
}
