import type { IncomingMessage, ServerResponse } from 'node:http';
import { callIdProblem, findAnsweringCarrier, type Logger, type WebhookRequest } from '@callwire/core';
import type { DependencyContainer } from 'tsyringe';
import { describeError } from './log.js';
import type { StreamGate } from './stream-gate.js';
import { streamUrlWithToken } from './stream-token.js';
import { streamUrlFor, webhookUrlFor } from './urls.js';

/** What the answer endpoint needs to know. */
export interface AnswerSettings {
  readonly container: DependencyContainer;
  readonly path: string;
  readonly publicUrl?: string | undefined;
  readonly answerCarrier?: string | undefined;
  readonly maxAnswerBodyBytes: number;
  /** Mints the stream token the answer's stream URL carries. */
  readonly gate: StreamGate;
  readonly logger: Logger;
  readonly warnOnce: (kind: string, message: string, fields?: Record<string, unknown>) => void;
}

class BodyTooLarge extends Error {}

function readBody(request: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    request.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > maxBytes) {
        // Stop buffering; the rest is read and discarded while the 413 goes out.
        request.removeAllListeners('data');
        request.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function reply(response: ServerResponse, status: number, text: string): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  response.end(`${text}\n`);
}

/** Request headers with lower-case names, repeated ones joined with `, `. */
export function lowerCaseHeaders(request: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/**
 * Serves the answering carrier's answer document on GET and POST, after its `verifyWebhook`
 * hook accepted the request's signature: `missing` → 401, `invalid` → 403. With stream auth on, the
 * stream URL it gets carries a token bound to the call id the request names (`answerCallId`). Never throws.
 */
export async function serveAnswer(
  settings: AnswerSettings,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  try {
    const method = (request.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'POST') {
      response.writeHead(405, { allow: 'GET, POST', 'content-type': 'text/plain; charset=utf-8' });
      response.end('method not allowed\n');
      return;
    }
    const carrier = findAnsweringCarrier(settings.container, settings.answerCarrier);
    if (!carrier?.answer) {
      reply(response, 404, 'no registered carrier serves an answer document');
      return;
    }
    let body: string;
    try {
      body = method === 'POST' ? await readBody(request, settings.maxAnswerBodyBytes) : '';
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        response.setHeader('connection', 'close');
        reply(response, 413, 'request body too large');
      }
      return;
    }
    const host = request.headers.host;
    const webhook: WebhookRequest = {
      method,
      url: webhookUrlFor(request.url ?? '/', settings.publicUrl, host),
      headers: lowerCaseHeaders(request),
      body,
    };
    const verdict = carrier.verifyWebhook
      ? await carrier.verifyWebhook(webhook, settings.container)
      : 'unchecked';
    if (verdict === 'missing' || verdict === 'invalid') {
      settings.warnOnce(`answer-${verdict}`, `answer request refused: ${verdict} signature`, {
        carrier: carrier.name,
        remoteAddress: request.socket.remoteAddress,
      });
      reply(response, verdict === 'missing' ? 401 : 403, `${verdict} signature`);
      return;
    }
    let streamUrl = streamUrlFor(settings.path, settings.publicUrl, host);
    if (settings.gate.enabled) {
      const callId = carrier.answerCallId?.(webhook);
      if (callId !== undefined && callIdProblem(callId) !== undefined) {
        settings.warnOnce('answer-bad-call-id', 'answer request refused: malformed call id', {
          carrier: carrier.name,
        });
        reply(response, 400, 'malformed call id');
        return;
      }
      if (callId === undefined) {
        settings.warnOnce(
          'answer-no-call-id',
          'answer request names no call id: its stream token binds the carrier only',
          {
            carrier: carrier.name,
          },
        );
      }
      streamUrl = streamUrlWithToken(streamUrl, settings.gate.mint(carrier.name, callId) ?? '');
    }
    const answer = await carrier.answer({ ...webhook, streamUrl }, settings.container);
    response.writeHead(answer.status ?? 200, { 'content-type': answer.contentType });
    response.end(answer.body);
    settings.logger.info({ carrier: carrier.name, method }, 'answered a call webhook');
  } catch (error) {
    settings.logger.error({ error: describeError(error) }, 'answer request failed');
    reply(response, 500, 'internal error');
  }
}
