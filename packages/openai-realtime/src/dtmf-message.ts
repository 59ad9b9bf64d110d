import type { DtmfDigit } from '@callwire/core';

/**
 * The user message that tells the model which keys the caller pressed, in order. Worded as an
 * observation, not an instruction, so the agent's own instructions decide what a key means.
 */
export function dtmfMessage(digits: readonly DtmfDigit[]): string {
  const keys = digits.map((digit) => `"${digit}"`).join(', ');
  return digits.length === 1
    ? `[The caller pressed the key ${keys} on their phone keypad.]`
    : `[The caller pressed the keys ${keys} on their phone keypad, in this order.]`;
}
