/** Stable machine-readable error codes. Never rename one: users switch on them. */
export type CallwireErrorCode =
  | 'CONFIG'
  | 'INVALID_FRAME'
  | 'UNKNOWN_CARRIER'
  | 'HANG_UP_FAILED'
  | 'INVALID_ARGUMENT';

/**
 * The one error type Callwire throws. `code` is stable; `message` names the carrier and
 * the field at fault and never contains a secret.
 */
export class CallwireError extends Error {
  readonly code: CallwireErrorCode;

  constructor(code: CallwireErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CallwireError';
    this.code = code;
  }
}

/** True when `error` is a `CallwireError`, optionally with the given code. */
export function isCallwireError(error: unknown, code?: CallwireErrorCode): error is CallwireError {
  return error instanceof CallwireError && (code === undefined || error.code === code);
}
