import type { Logger } from '@callwire/core';
import type { GenesysMedia, GenesysServerMessageType } from './events.js';

/**
 * Where a session is: `new` until `open`, `open` (audio flowing), `paused` (Genesys said `paused`),
 * `disconnecting` (we sent `disconnect`, waiting for Genesys' `close`), `closed` (we sent `closed`).
 */
export type GenesysSessionState = 'new' | 'open' | 'paused' | 'disconnecting' | 'closed';

/**
 * One call's AudioHook protocol state, shared by inbound replies and outbound messages (the kit's
 * per-call `session`): both sides number their messages, so a `pong` sent while deserializing and a
 * `barge_in` sent while serializing take the next `seq` from the same counter.
 */
export interface GenesysSession {
  /** The session id: every message's `id` (the call's stream id). */
  readonly id: string;
  readonly logger: Logger;
  readonly warn: (kind: string, message: string) => void;
  state: GenesysSessionState;
  /** The last `seq` Genesys sent (0 before `open`): the next must be one more. */
  clientSeq: number;
  /** The last `seq` we sent. */
  serverSeq: number;
  /** The last stream position Genesys reported (`PT…S`). */
  position: string | undefined;
  /** The format chosen in `opened`; `undefined` before `open` (audio is then read as mono PCMU). */
  media: GenesysMedia | undefined;
  /** What the next `disconnect` carries in `outputVariables` (Audio Connector). */
  readonly outputVariables: Record<string, string>;
  /** The conversation language from `open` and `update`. */
  language: string | undefined;
}

/** A new session for the call whose stream id is `id`. */
export function createGenesysSession(
  id: string,
  logger: Logger,
  warn: (kind: string, message: string) => void,
): GenesysSession {
  return {
    id,
    logger,
    warn,
    state: 'new',
    clientSeq: 0,
    serverSeq: 0,
    position: undefined,
    media: undefined,
    outputVariables: {},
    language: undefined,
  };
}

/** Our next message of `type`, numbered: `{version, id, type, seq, clientseq, parameters}` as JSON text. */
export function genesysMessage(
  session: GenesysSession,
  type: GenesysServerMessageType,
  parameters: Readonly<Record<string, unknown>> = {},
): string {
  session.serverSeq += 1;
  return JSON.stringify({
    version: '2',
    id: session.id,
    type,
    seq: session.serverSeq,
    clientseq: session.clientSeq,
    parameters,
  });
}

/**
 * `disconnect` with reason `error` (or `unauthorized`) for a protocol violation, once: the session then
 * waits for Genesys' `close` (the reference server's `signalClientError`).
 */
export function genesysProtocolError(
  session: GenesysSession,
  reply: (message: string) => void,
  info: string,
  reason: 'error' | 'unauthorized' = 'error',
): void {
  if (session.state === 'disconnecting' || session.state === 'closed') return;
  session.warn(`protocol-${reason}`, `ending the session (${reason}): ${info}`);
  reply(genesysMessage(session, 'disconnect', { reason, info: `Client Error: ${info}` }));
  session.state = 'disconnecting';
}
