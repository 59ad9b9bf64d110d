import {
  type CallControl,
  type CarrierPlugin,
  callControlToken,
  LOGGER,
  parseConfig,
  requireForAutoHangUp,
  type SerializerFactory,
  serializerFactoryToken,
} from '@callwire/core';
import type { InjectionToken } from 'tsyringe';
import { createCarrierSerializer } from './carrier-serializer.js';
import type { CarrierDefinition, KitCallParams } from './definition.js';

/** A `CallControl` for a carrier with no way to end a call but closing its socket. */
function noHangUp(carrier: string): CallControl {
  return {
    carrier,
    async hangUp() {
      return { outcome: 'failed', reason: `${carrier} has no hang-up API; close the stream instead` };
    },
  };
}

/**
 * A `CarrierPlugin` from a carrier's declaration. `register` puts its typed serializer factory and
 * `CallControl` in the container; each call's serializer checks its params (and, with auto hang-up
 * on, the call id and credentials: one `CONFIG` error naming every missing field, as Pipecat does).
 */
export function defineCarrier<Options, Resolved, Params extends KitCallParams, Event, Session = undefined>(
  definition: CarrierDefinition<Options, Resolved, Params, Event, Session>,
): CarrierPlugin<Options, Resolved> {
  const { name, answer, verifyWebhook, answerCallId, streamAuth, streamCredentials, streamFraming } =
    definition;
  const optionsToken: InjectionToken<Resolved> = Symbol(`callwire.${name}.options`);
  return {
    name,
    options: definition.options,
    ...(definition.environment ? { environment: definition.environment } : {}),
    hangUpVia: definition.hangUp ? 'rest' : 'stream',
    canHangUp: (options) =>
      definition.hangUp !== undefined &&
      Object.values(definition.hangUp.needs(options)).every((value) => value !== undefined && value !== ''),
    register(container, options) {
      const logger = container.resolve(LOGGER);
      container.register(optionsToken, { useValue: options });
      container.register(callControlToken(name), {
        useValue: definition.hangUp ? definition.hangUp.control(options, logger) : noHangUp(name),
      });
      const factory: SerializerFactory = (call, scope) => {
        const params = parseConfig(name, 'call params', definition.params, call.params ?? {});
        if (params.autoHangUp) {
          requireForAutoHangUp(name, { callId: call.callId, ...definition.hangUp?.needs(options) });
        }
        return createCarrierSerializer({
          definition,
          options,
          params,
          streamId: call.streamId,
          callId: call.callId,
          logger: scope.resolve(LOGGER),
        });
      };
      container.register(serializerFactoryToken(name), { useValue: factory });
    },
    detect: definition.detect,
    ...(streamFraming ? { streamFraming } : {}),
    ...(answer ? { answer: (request, container) => answer(request, container.resolve(optionsToken)) } : {}),
    ...(answerCallId ? { answerCallId } : {}),
    ...(streamAuth ? { streamAuth } : {}),
    ...(streamCredentials
      ? {
          streamCredentials: (container) =>
            container.isRegistered(optionsToken, true)
              ? streamCredentials(container.resolve(optionsToken))
              : undefined,
        }
      : {}),
    ...(verifyWebhook
      ? {
          verifyWebhook: (request, container) =>
            verifyWebhook(
              request,
              container.isRegistered(optionsToken, true) ? container.resolve(optionsToken) : undefined,
            ),
        }
      : {}),
  };
}
