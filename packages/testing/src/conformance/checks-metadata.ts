import {
  type CallDetection,
  type CallInfo,
  type CallMetadata,
  callMetadata,
  openingMessage,
  type WireMessage,
} from '@callwire/core';
import { expect } from 'vitest';
import type { CallMetadataField } from '../harness.js';
import type { ConformanceContext } from './context.js';

/** The metadata the suite asks a harness to put into its opening message. */
export const METADATA_FIXTURE: CallMetadata = callMetadata({
  from: '+14155550100',
  to: '+14155550199',
  direction: 'inbound',
  customParameters: { tenant: 'acme', plan: 'gold' },
});

interface Identified {
  readonly message: WireMessage;
  readonly detection: Exclude<CallDetection, 'need-more' | undefined>;
}

/** The opening message that identifies the call, and what `detect` made of it (as the server does). */
function identify(context: ConformanceContext, metadata?: CallMetadata): Identified {
  const { harness } = context;
  const base = harness.call({
    callId: 'call-metadata',
    streamId: 'stream-metadata',
    sampleRate: 16000,
    autoHangUp: false,
  });
  const info: CallInfo = metadata ? { ...base, metadata } : base;
  for (const message of harness.wire.start?.(info) ?? []) {
    const detection = harness.plugin.detect?.(openingMessage(message));
    if (detection !== undefined && detection !== 'need-more') return { message, detection };
  }
  throw new Error(`no opening message of ${harness.plugin.name}'s harness identifies a call`);
}

/** `detect` hands the server the opening message as `call.info.raw`, with string-only custom parameters. */
export function checkOpeningMetadata(context: ConformanceContext): void {
  const { message, detection } = identify(context);
  const metadata = detection.metadata;
  expect(metadata, 'detect returned no metadata (call.info) for the opening message').toBeDefined();
  expect(metadata?.raw, 'call.info.raw is not the opening message').toEqual(openingMessage(message));
  for (const [key, value] of Object.entries(metadata?.customParameters ?? {})) {
    expect(typeof value, `custom parameter ${key} is not a string`).toBe('string');
  }
}

/** Each metadata field the carrier declares goes from its opening message to `call.info` intact. */
export function checkMetadataField(context: ConformanceContext, field: CallMetadataField): void {
  const { detection } = identify(context, METADATA_FIXTURE);
  const metadata = detection.metadata ?? callMetadata();
  if (field === 'customParameters') {
    expect(metadata.customParameters, 'call.info.customParameters').toMatchObject(
      METADATA_FIXTURE.customParameters,
    );
  } else {
    expect(metadata[field], `call.info.${field}`).toBe(METADATA_FIXTURE[field]);
  }
}
