import { randomUUID } from 'node:crypto';
import {
  type CallDetection,
  type CallInfo,
  CallwireError,
  type CarrierPlugin,
  callControlToken,
  callIdProblem,
  LOGGER,
  parseConfig,
  type SerializerFactory,
  serializerFactoryToken,
} from '@callwire/core';
import { VonageCallControl } from './call-control.js';
import { VonageConnected, vonageRateOf, withConnectedEvent } from './events.js';
import { VONAGE_CALL_UUID_HEADER, vonageWebSocketNcco } from './ncco.js';
import {
  type ResolvedVonageOptions,
  VonageCallParamsSchema,
  type VonageOptions,
  VonageOptionsSchema,
} from './options.js';
import { VonageFrameSerializer } from './serializer.js';

/** A call's own child container. */
type CallScope = Parameters<SerializerFactory>[1];

/**
 * One call's serializer: validates `call.params` and, with auto hang-up on, that the call uuid and
 * both credentials are there (one `CONFIG` error naming every missing field).
 */
export function createVonageSerializer(
  call: CallInfo,
  scope: CallScope,
  options: ResolvedVonageOptions,
): VonageFrameSerializer {
  const params = parseConfig('vonage', 'call params', VonageCallParamsSchema, call.params ?? {});
  if (params.autoHangUp) {
    const missing = [
      ...(call.callId ? [] : ['callId']),
      ...(options.applicationId ? [] : ['applicationId']),
      ...(options.privateKey ? [] : ['privateKey']),
    ];
    if (missing.length > 0) {
      throw new CallwireError(
        'CONFIG',
        `[vonage] auto hang-up needs ${missing.join(', ')} (put the call uuid in the NCCO headers as "${VONAGE_CALL_UUID_HEADER}", or set params.autoHangUp: false)`,
      );
    }
    const problem = callIdProblem(call.callId);
    if (problem !== undefined) throw new CallwireError('CONFIG', `[vonage] invalid callId: ${problem}`);
  }
  return new VonageFrameSerializer({
    streamId: call.streamId,
    ...(call.callId !== undefined ? { callId: call.callId } : {}),
    params,
    control: scope.resolve(callControlToken('vonage')),
    logger: scope.resolve(LOGGER),
  });
}

/** Fields of `websocket:connected` that Vonage sets itself; the rest are the NCCO's headers. */
const OWN_FIELDS = new Set(['event', 'content-type']);

/**
 * Recognises Vonage's first message, `websocket:connected`. The call uuid comes from the NCCO
 * header `call_uuid` (or `uuid`), which `vonageWebSocketNcco` and the `answer` hook put there; the
 * stream id is that uuid too, or a random one when the NCCO carried none. Never throws.
 */
export function detectVonageCall(message: unknown): CallDetection {
  try {
    const value = typeof message === 'string' ? JSON.parse(message) : message;
    const parsed = VonageConnected.safeParse(withConnectedEvent(value));
    if (!parsed.success) return undefined;
    const connected = parsed.data as Record<string, unknown>;
    const uuid = [connected[VONAGE_CALL_UUID_HEADER], connected.uuid].find(
      (candidate): candidate is string => typeof candidate === 'string' && candidate !== '',
    );
    const headers = Object.fromEntries(Object.entries(connected).filter(([key]) => !OWN_FIELDS.has(key)));
    const rate = vonageRateOf(connected['content-type']);
    return {
      streamId: uuid ?? randomUUID(),
      ...(uuid !== undefined ? { callId: uuid } : {}),
      params: {
        ...(rate !== undefined ? { vonageSampleRate: rate } : {}),
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
      },
    };
  } catch {
    return undefined;
  }
}

/** The call uuid of Vonage's answer webhook: `uuid` in the query (GET) or the JSON body (POST). */
function answerUuid(url: string, body: string): string | undefined {
  try {
    const fromQuery = new URL(url).searchParams.get('uuid');
    if (fromQuery) return fromQuery;
  } catch {
    // not a URL: try the body
  }
  try {
    const uuid = (JSON.parse(body) as { uuid?: unknown } | null)?.uuid;
    return typeof uuid === 'string' && uuid !== '' ? uuid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Vonage Voice API WebSocket carrier:
 * `registerCarrier(container, vonage, { applicationId, privateKey })`.
 */
export const vonage: CarrierPlugin<VonageOptions, ResolvedVonageOptions> = {
  name: 'vonage',
  options: VonageOptionsSchema,
  register(container, options) {
    container.register(callControlToken('vonage'), {
      useValue: new VonageCallControl(options, container.resolve(LOGGER)),
    });
    container.register(serializerFactoryToken('vonage'), {
      useValue: ((call, scope) => createVonageSerializer(call, scope, options)) satisfies SerializerFactory,
    });
  },
  detect: detectVonageCall,
  answer(request) {
    // Vonage asks the answer_url for an NCCO with the call's `uuid` (GET query by default).
    const callUuid = answerUuid(request.url, request.body);
    const ncco = vonageWebSocketNcco({
      streamUrl: request.streamUrl,
      ...(callUuid !== undefined && callIdProblem(callUuid) === undefined ? { callUuid } : {}),
    });
    return { contentType: 'application/json', body: JSON.stringify(ncco) };
  },
};
