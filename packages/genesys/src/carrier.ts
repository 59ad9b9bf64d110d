import { type CallDetection, callMetadata, endFrame, type WebhookVerdict } from '@callwire/core';
import { defineCarrier, type InboundCall } from '@callwire/kit';
import { GenesysControlMessageSchema } from './control-messages.js';
import {
  GENESYS_INBOUND_TYPES,
  type GenesysInboundMessage,
  GenesysInboundMessageSchema,
  type GenesysOpenMessage,
  GenesysOpenMessageSchema,
} from './events.js';
import { createGenesysFramer } from './framer.js';
import { genesysAudioFrames } from './inbound-audio.js';
import { genesysWireFormat, selectGenesysMedia } from './media.js';
import { GenesysCallParamsSchema, GenesysOptionsSchema, type ResolvedGenesysCallParams } from './options.js';
import {
  createGenesysSession,
  type GenesysSession,
  genesysMessage,
  genesysProtocolError,
} from './session.js';
import { verifyGenesysSignature } from './signature.js';

/** Longest text message Genesys may send, characters (the reference server refuses longer ones). */
export const GENESYS_MAX_TEXT_CHARS = 65_535;

type Call = InboundCall<ResolvedGenesysCallParams, GenesysSession>;

function parsedOpening(message: unknown): unknown {
  if (typeof message !== 'string') return message;
  try {
    return JSON.parse(message);
  } catch {
    return undefined;
  }
}

/**
 * Recognises Genesys' `open` (protocol version 2): the session id is the stream id, the conversation
 * id the call id; `call.info` gets from = `participant.ani`, to = `participant.dnis`, and custom
 * parameters from `customConfig` then `inputVariables` (string values; input variables win). Never throws.
 */
export function detectGenesysCall(message: unknown): CallDetection {
  const value = parsedOpening(message);
  const candidate = value as { type?: unknown; version?: unknown } | null | undefined;
  if (candidate?.type !== 'open' || candidate.version !== '2') return undefined;
  const parsed = GenesysOpenMessageSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const { id, parameters } = parsed.data;
  return {
    streamId: id,
    callId: parameters.conversationId,
    params: { organizationId: parameters.organizationId },
    metadata: callMetadata({
      from: parameters.participant.ani,
      to: parameters.participant.dnis,
      customParameters: { ...parameters.customConfig, ...parameters.inputVariables },
      raw: value,
    }),
  };
}

/** The envelope checks of the reference server, in its order: `seq`, `serverseq`, then the session id. */
function envelopeProblem(message: GenesysInboundMessage, session: GenesysSession): string | undefined {
  if (message.seq !== session.clientSeq + 1) {
    return `Invalid seq value (not monotonically increasing): expected ${session.clientSeq + 1}, got ${message.seq}`;
  }
  if (message.serverseq > session.serverSeq) return 'Invalid serverseq value';
  if (message.id !== session.id) return 'Session identifier mismatch';
  return undefined;
}

function onOpen(message: GenesysOpenMessage, call: Call): void {
  const { session, params } = call;
  if (session.state !== 'new') {
    genesysProtocolError(session, call.reply, `unexpected open in state ${session.state}`);
    return;
  }
  const { organizationId, media: offered, language, supportedLanguages } = message.parameters;
  if (params.expectedOrganizationId !== undefined && organizationId !== params.expectedOrganizationId) {
    genesysProtocolError(
      session,
      call.reply,
      'Mismatch between "organizationId" open parameter and "audiohook-organization-id" header field',
      'unauthorized',
    );
    return;
  }
  const media = selectGenesysMedia(offered, params);
  if (media === undefined) {
    call.warn(
      'no-media',
      `none of the ${offered.length} offered formats is 8 kHz PCMU/L16 with the external channel`,
    );
  }
  session.media = media;
  session.language = language;
  session.state = 'open';
  call.reply(
    genesysMessage(session, 'opened', {
      media: media === undefined ? [] : [media],
      ...(supportedLanguages === true && params.supportedLanguages !== undefined
        ? { supportedLanguages: params.supportedLanguages }
        : {}),
    }),
  );
  // Only PCMU/L16 at 8 kHz are accepted, so audio goes both ways in the chosen coding at 8 kHz
  // (new resamplers only when the coding changes: PCMU is the format a call starts with).
  const format = genesysWireFormat(media);
  if (media !== undefined && format.encoding !== call.wireFormat.encoding) call.setWireFormat(format, 'both');
}

function toFrames(message: GenesysInboundMessage, call: Call) {
  const { session } = call;
  if (session.state === 'closed') return undefined;
  if (session.state === 'disconnecting') {
    // We asked Genesys to end the session: only its close transaction matters now.
    if (message.type !== 'close') return undefined;
  } else {
    const problem = envelopeProblem(message, session);
    if (problem !== undefined) {
      genesysProtocolError(session, call.reply, problem);
      return undefined;
    }
  }
  session.clientSeq = Math.max(session.clientSeq, message.seq);
  session.position = message.position;
  switch (message.type) {
    case 'open':
      onOpen(message, call);
      return undefined;
    case 'ping':
      call.reply(genesysMessage(session, 'pong'));
      return undefined;
    case 'close':
      call.logger.debug({ reason: message.parameters.reason }, '[genesys] close');
      call.reply(genesysMessage(session, 'closed'));
      session.state = 'closed';
      return endFrame();
    case 'update':
      session.language = message.parameters.language;
      call.reply(genesysMessage(session, 'updated'));
      return undefined;
    case 'paused':
      if (session.state === 'open') session.state = 'paused';
      return undefined;
    case 'resumed':
      if (session.state === 'paused') session.state = 'open';
      call.logger.debug(message.parameters, '[genesys] resumed');
      return undefined;
    case 'discarded':
      call.logger.debug(message.parameters, '[genesys] audio discarded');
      return undefined;
    case 'error': {
      const { code, message: text, retryAfter } = message.parameters;
      call.warn(
        `genesys-error-${code}`,
        `Genesys reported error ${code}: ${JSON.stringify(text.slice(0, 200))}${retryAfter ? ` (retry after ${retryAfter})` : ''}`,
      );
      return undefined;
    }
    case 'dtmf':
      return call.dtmf(message.parameters.digit);
    case 'playback_started':
    case 'playback_completed':
      // They carry no id, so they cannot acknowledge a named checkpoint: logged only.
      call.logger.debug(`[genesys] ${message.type}`);
      return undefined;
  }
}

/**
 * Genesys Cloud AudioHook and Audio Connector: `registerCarrier(container, genesys, { apiKey,
 * clientSecret })`. A conversation, not a stream: `open` is answered with `opened` (one offered
 * format), both sides number their messages, `ping`/`update`/`close` are answered at once, binary
 * audio flows in the agreed format in fixed-size messages, `interruption` becomes a `barge_in` event,
 * and the call ends with an in-protocol `disconnect` carrying the output variables (no REST hang-up).
 * Streams are admitted by their signed upgrade (`streamAuth: 'signed-upgrade'`): set `clientSecret`
 * (and `apiKey`), or the server cannot check them and refuses them while stream auth is on.
 */
export const genesys = defineCarrier({
  name: 'genesys',
  options: GenesysOptionsSchema,
  params: GenesysCallParamsSchema,
  environment: { apiKey: 'GENESYS_API_KEY', clientSecret: 'GENESYS_CLIENT_SECRET' },
  wireFormat: () => genesysWireFormat(undefined),
  detect: detectGenesysCall,
  // Genesys signs every upgrade (HTTP Message Signatures); that signature, not a stream token, admits it.
  streamAuth: 'signed-upgrade',
  verifyWebhook(request, options): WebhookVerdict {
    if (options?.clientSecret === undefined) return 'unchecked';
    if (request.headers.signature === undefined || request.headers['signature-input'] === undefined) {
      return 'missing';
    }
    const valid = verifyGenesysSignature({
      method: request.method,
      url: request.url,
      headers: request.headers,
      apiKey: options.apiKey,
      clientSecret: options.clientSecret,
    });
    return valid ? 'valid' : 'invalid';
  },
  session: ({ streamId, logger, warn }) => createGenesysSession(streamId, logger, warn),
  inbound: {
    events: GENESYS_INBOUND_TYPES,
    eventKey: 'type',
    schema: GenesysInboundMessageSchema,
    binary: 'audio',
    maxTextChars: GENESYS_MAX_TEXT_CHARS,
    audio: genesysAudioFrames,
    refused(kind, call) {
      const why =
        kind === 'oversized'
          ? `Text message too large (over ${GENESYS_MAX_TEXT_CHARS} characters)`
          : kind === 'bad-json' || kind === 'binary'
            ? 'Text message not valid JSON'
            : kind === 'unknown-event'
              ? 'Invalid Message: not a supported client message'
              : 'Invalid Message: Invalid/missing parameters';
      genesysProtocolError(call.session, call.reply, why);
    },
    toFrames,
  },
  outbound: ({ session }) => ({
    media: (bytes) => bytes,
    // Audio Connector's barge-in: Genesys drops the audio it has queued.
    clear: () => genesysMessage(session, 'event', { entities: [{ type: 'barge_in', data: {} }] }),
    end() {
      if (session.state === 'disconnecting' || session.state === 'closed') return [];
      session.state = 'disconnecting';
      const outputVariables = { ...session.outputVariables };
      return [
        genesysMessage(session, 'disconnect', {
          reason: 'completed',
          ...(Object.keys(outputVariables).length > 0 ? { outputVariables } : {}),
        }),
      ];
    },
    transportMessage(message) {
      const parsed = GenesysControlMessageSchema.safeParse(message);
      if (!parsed.success) {
        session.warn(
          'transport-message',
          'dropping an output-transport-message Genesys cannot read (see genesysOutputVariables, genesysEvent, genesysPause, genesysResume)',
        );
        return [];
      }
      const control = parsed.data;
      if (control.genesys === 'output-variables') {
        Object.assign(session.outputVariables, control.variables);
        return [];
      }
      if (session.state === 'disconnecting' || session.state === 'closed') return [];
      if (control.genesys === 'event')
        return [genesysMessage(session, 'event', { entities: control.entities })];
      return [genesysMessage(session, control.genesys)];
    },
  }),
  framer: (format, params) => createGenesysFramer(format, params.outboundFrameMs),
});
