import type { WireMessage } from './serializer.js';

/**
 * What a stream deframer made of the bytes pushed so far: the whole messages now complete (in order),
 * or why the stream cannot be this carrier's (garbage, a length beyond the limit). After a problem the
 * connection is closed; the deframer is not used again.
 */
export type DeframeResult = { readonly messages: readonly WireMessage[] } | { readonly problem: string };

/** Cuts one connection's byte stream into whole messages, whatever the TCP reads split. */
export interface StreamDeframer {
  /** Takes the next read (copied as needed; the caller may reuse it). */
  push(chunk: Uint8Array): DeframeResult;
}

/**
 * How a carrier that streams over a plain byte stream (TCP, not WebSocket) frames its messages. The
 * server reads the stream, hands each whole message to `detect` and the serializer as a binary
 * `WireMessage`, and writes the serializer's messages as they are (they carry their own framing).
 */
export interface StreamFraming {
  /** A deframer for one connection; a message longer than `maxMessageBytes` is a problem. */
  createDeframer(maxMessageBytes: number): StreamDeframer;
}
