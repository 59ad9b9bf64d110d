import { describe, expect, it } from 'vitest';
import { describeRealtimeError, redactSecrets } from './redact.js';

describe('describeRealtimeError', () => {
  it("keeps a Realtime API error's fields and drops credentials", () => {
    const described = describeRealtimeError({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        code: 'invalid_api_key',
        message: 'Incorrect API key: sk-abc123def456',
      },
    });
    expect(described).toEqual({
      type: 'invalid_request_error',
      code: 'invalid_api_key',
      message: 'Incorrect API key: [redacted]',
    });
  });
  it('never keeps an object: only strings of an Error or socket event', () => {
    const socketError = Object.assign(new Error('Unexpected server response: 401'), {
      headers: { Authorization: 'Bearer sk-secret-0000000' },
    });
    expect(describeRealtimeError(socketError)).toEqual({ message: 'Unexpected server response: 401' });
    expect(redactSecrets('Authorization: Bearer ek_1234567890 done')).toBe('Authorization: [redacted] done');
  });
});
