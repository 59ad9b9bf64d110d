import { type TransportMessageFrame, transportMessageFrame } from '@callwire/core';
import { z } from 'zod/v4';
import { GenesysEventEntitySchema } from './events.js';

// A handler talks to Genesys with `output-transport-message` frames of these shapes (Genesys reads no
// bare JSON: every text message needs the protocol envelope, which the carrier adds). Anything else
// is dropped with a warning.

/** Sets Audio Connector output variables, sent in the `disconnect` that ends the call (later keys win). */
export const GenesysOutputVariablesControlSchema = z.strictObject({
  genesys: z.literal('output-variables'),
  variables: z.record(z.string(), z.string()),
});
/** Sends an `event` message with these entities (`bot_turn_response`, …). */
export const GenesysEventControlSchema = z.strictObject({
  genesys: z.literal('event'),
  entities: z.array(GenesysEventEntitySchema).min(1),
});
/** Asks Genesys to pause (`pause`) or resume (`resume`) the audio stream. */
export const GenesysPauseControlSchema = z.strictObject({ genesys: z.enum(['pause', 'resume']) });

export const GenesysControlMessageSchema = z.union([
  GenesysOutputVariablesControlSchema,
  GenesysEventControlSchema,
  GenesysPauseControlSchema,
]);
export type GenesysControlMessage = z.infer<typeof GenesysControlMessageSchema>;

/**
 * A frame that sets Audio Connector output variables (string values) for the Architect flow: they go
 * out in the `disconnect` sent when the call ends (`call.hangUp()` or the handler returning).
 */
export function genesysOutputVariables(variables: Readonly<Record<string, string>>): TransportMessageFrame {
  return transportMessageFrame(
    { genesys: 'output-variables', variables: { ...variables } },
    { urgent: true },
  );
}

/** A frame that sends Genesys an `event` with `entities` (for example a `bot_turn_response`). */
export function genesysEvent(
  entities: readonly { readonly type: string; readonly data: unknown }[],
): TransportMessageFrame {
  return transportMessageFrame({ genesys: 'event', entities: [...entities] });
}

/** A frame asking Genesys to pause the audio stream (it answers `paused`). */
export function genesysPause(): TransportMessageFrame {
  return transportMessageFrame({ genesys: 'pause' }, { urgent: true });
}

/** A frame asking Genesys to resume the audio stream (it answers `resumed`). */
export function genesysResume(): TransportMessageFrame {
  return transportMessageFrame({ genesys: 'resume' }, { urgent: true });
}
