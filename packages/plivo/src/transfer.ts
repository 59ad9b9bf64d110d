import { createHmac, timingSafeEqual } from 'node:crypto';
import { isSipTarget, type TransferTarget, transferTargetProblem } from '@callwire/core';
import { escapeXml } from '@callwire/kit';

// Plivo's Transfer API (POST …/Call/{uuid}/ with `legs=aleg`, `aleg_url`) does not take the new XML:
// Plivo fetches it from `aleg_url`. Callwire points `aleg_url` at the server's own answer route with
// the target in the query, signed with the account's Auth Token, so the answer hook serves `<Dial>`
// for exactly the targets this server asked for (and nobody can make it dial elsewhere), statelessly:
// any instance behind the public URL can answer.

const TO = 'transferTo';
const FROM = 'transferFrom';
const SIGNATURE = 'transferSig';

function sign(authToken: string, to: string, from: string | undefined): string {
  return createHmac('sha256', authToken)
    .update(`callwire-transfer\n${to}\n${from ?? ''}`)
    .digest('base64url');
}

/** The `aleg_url` of a transfer to `target`: `answerUrl` plus the signed target in its query. */
export function plivoTransferUrl(answerUrl: string, target: TransferTarget, authToken: string): string {
  const query = new URLSearchParams({ [TO]: target.to });
  if (target.from !== undefined) query.set(FROM, target.from);
  query.set(SIGNATURE, sign(authToken, target.to, target.from));
  return `${answerUrl}${answerUrl.includes('?') ? '&' : '?'}${query.toString()}`;
}

/**
 * The transfer target a request to the answer route carries (`plivoTransferUrl`'s query), `'invalid'`
 * when it carries one whose signature or shape is wrong, or `undefined` when it carries none.
 */
export function plivoTransferTarget(
  url: string,
  authToken: string | undefined,
): TransferTarget | 'invalid' | undefined {
  let query: URLSearchParams;
  try {
    query = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  const to = query.get(TO);
  if (to === null) return undefined;
  const from = query.get(FROM) ?? undefined;
  const signature = Buffer.from(query.get(SIGNATURE) ?? '');
  if (!authToken) return 'invalid';
  const expected = Buffer.from(sign(authToken, to, from));
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return 'invalid';
  const target: TransferTarget = { to, ...(from === undefined ? {} : { from }) };
  return transferTargetProblem(target) === undefined ? target : 'invalid';
}

/**
 * Plivo XML that connects the call to `target`: `<Dial callerId="…"><Number>…</Number></Dial>`
 * (a SIP URI in `<User>`). Plivo writes numbers without the `+`.
 */
export function plivoDialXml(target: TransferTarget): string {
  const callerId =
    target.from === undefined ? '' : ` callerId="${escapeXml(target.from.replace(/^\+/, ''))}"`;
  const endpoint = isSipTarget(target.to)
    ? `<User>${escapeXml(target.to)}</User>`
    : `<Number>${escapeXml(target.to.replace(/^\+/, ''))}</Number>`;
  return `<Response><Dial${callerId}>${endpoint}</Dial></Response>`;
}
