import type { CallMetadata } from '@callwire/core';

/** Fields of a message from Genesys around its parameters. */
export interface GenesysClientEnvelope {
  /** The session id (the call's stream id). */
  readonly id: string;
  readonly seq: number;
  /** The last `seq` Genesys saw from the server. */
  readonly serverseq?: number;
  /** Stream position, seconds (written `PT<s>S`). */
  readonly positionS?: number;
}

/** A Genesys (client) message as JSON text: `{version:"2", id, type, seq, serverseq, position, parameters}`. */
export function genesysClientMessage(
  envelope: GenesysClientEnvelope,
  type: string,
  parameters: Readonly<Record<string, unknown>> = {},
): string {
  return JSON.stringify({
    version: '2',
    id: envelope.id,
    type,
    seq: envelope.seq,
    serverseq: envelope.serverseq ?? 0,
    position: `PT${(envelope.positionS ?? 0).toFixed(2)}S`,
    parameters,
  });
}

/** The documentation's organization id, used by the fixtures. */
export const GENESYS_TEST_ORGANIZATION = 'd7934305-0972-4844-938e-9060eef73d05';

/** Offered formats: the Audio Connector's mono external PCMU, and AudioHook's stereo offer. */
export const GENESYS_OFFERS = {
  monoPcmu: [{ type: 'audio', format: 'PCMU', channels: ['external'], rate: 8000 }],
  stereo: [
    { type: 'audio', format: 'PCMU', channels: ['external', 'internal'], rate: 8000 },
    { type: 'audio', format: 'PCMU', channels: ['external'], rate: 8000 },
    { type: 'audio', format: 'L16', channels: ['external', 'internal'], rate: 8000 },
  ],
} as const;

/** The parameters of an `open` for `conversationId`, carrying `metadata`'s from/to/custom parameters. */
export function genesysOpenParameters(input: {
  readonly conversationId: string;
  readonly organizationId?: string;
  readonly media?: readonly unknown[];
  readonly metadata?: CallMetadata | undefined;
  readonly customConfig?: Readonly<Record<string, unknown>>;
}): Record<string, unknown> {
  return {
    organizationId: input.organizationId ?? GENESYS_TEST_ORGANIZATION,
    conversationId: input.conversationId,
    participant: {
      id: '883efee8-3d6c-4537-b500-6d7ca4b92fa0',
      ani: input.metadata?.from ?? '+13175555555',
      aniName: 'John Doe',
      dnis: input.metadata?.to ?? '+13175555556',
    },
    media: input.media ?? GENESYS_OFFERS.monoPcmu,
    language: 'en-US',
    customConfig: input.customConfig ?? {},
    inputVariables: { ...input.metadata?.customParameters },
  };
}
