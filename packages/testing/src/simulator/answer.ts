import { randomUUID } from 'node:crypto';
import type { CarrierHarness } from '../harness.js';
import {
  type SimulateCallOptions,
  type SimulatedCall,
  type SimulatedCallSummary,
  startSimulatedCall,
} from './call.js';

/** Options of `fetchStreamUrl`. */
export interface FetchStreamUrlOptions {
  /** The server's answer URL (`http://127.0.0.1:port/answer`). */
  readonly answerUrl: string;
  readonly harness: CarrierHarness<unknown, unknown>;
  readonly callId: string;
  /** Headers of the answer request (a carrier signature). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * The answer URL as the carrier knows it, behind a tunnel or proxy (the server's `PUBLIC_URL` + path):
   * what the harness's signature covers. @default answerUrl
   */
  readonly publicAnswerUrl?: string;
}

/**
 * Calls the server's answer URL as the harness's carrier does for `callId` and returns the stream URL
 * its answer document names (with the server's per-call token). Rejects when the carrier has no answer
 * flow, the server refuses, or the document names no URL.
 */
export async function fetchStreamUrl(options: FetchStreamUrlOptions): Promise<string> {
  const { harness } = options;
  if (!harness.answer) throw new Error(`[${harness.plugin.name}] the harness has no answer webhook`);
  const call = harness.answer.request(options.callId, options.publicAnswerUrl ?? options.answerUrl);
  const url = call.query
    ? `${options.answerUrl}${options.answerUrl.includes('?') ? '&' : '?'}${call.query}`
    : options.answerUrl;
  const response = await fetch(url, {
    method: call.method,
    headers: {
      ...(call.contentType ? { 'content-type': call.contentType } : {}),
      ...call.headers,
      ...options.headers,
    },
    ...(call.method === 'POST' ? { body: call.body ?? '' } : {}),
  });
  const document = await response.text();
  if (response.status !== 200) {
    throw new Error(`[${harness.plugin.name}] answer request refused: HTTP ${response.status}`);
  }
  const streamUrl = harness.answer.streamUrl(document);
  if (!streamUrl) throw new Error(`[${harness.plugin.name}] the answer document names no stream URL`);
  return streamUrl;
}

/** Options of `startAnsweredCall`: those of `startSimulatedCall`, with the answer URL instead of the stream URL. */
export interface AnsweredCallOptions extends Omit<SimulateCallOptions, 'url'> {
  /** The server's answer URL: the simulator calls it and streams to the URL the answer names. */
  readonly answerUrl: string;
  /** Headers of the answer request (a carrier signature). */
  readonly answerHeaders?: Readonly<Record<string, string>>;
  /** The answer URL as the carrier knows it (see `FetchStreamUrlOptions.publicAnswerUrl`). */
  readonly publicAnswerUrl?: string;
  /**
   * Connect to this origin (`ws://127.0.0.1:8080`) instead of the one the answer names, keeping its path
   * and token: what a tunnel or proxy in front of the server does when `PUBLIC_URL` names it.
   */
  readonly streamOrigin?: string;
}

/**
 * Starts a call the way the carrier does: its answer webhook first (`harness.answer`), then the stream to
 * the URL the answer names, which carries the server's per-call token.
 */
export async function startAnsweredCall(options: AnsweredCallOptions): Promise<SimulatedCall> {
  const callId = options.callId ?? randomUUID();
  const named = await fetchStreamUrl({
    answerUrl: options.answerUrl,
    harness: options.harness,
    callId,
    ...(options.answerHeaders ? { headers: options.answerHeaders } : {}),
    ...(options.publicAnswerUrl ? { publicAnswerUrl: options.publicAnswerUrl } : {}),
  });
  let url = named;
  if (options.streamOrigin !== undefined) {
    const parsed = new URL(named);
    url = `${options.streamOrigin.replace(/\/+$/, '')}${parsed.pathname}${parsed.search}`;
  }
  return startSimulatedCall({ ...options, url, callId });
}

/** `startAnsweredCall`, resolved with the call's summary once it closes. */
export async function simulateAnsweredCall(options: AnsweredCallOptions): Promise<SimulatedCallSummary> {
  return (await startAnsweredCall(options)).done;
}
