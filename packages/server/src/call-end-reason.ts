/** Why a call ended. */
export type CallEndReason =
  /** The handler returned. */
  | 'handler-returned'
  /** The handler threw (logged with the call id). */
  | 'handler-failed'
  /** The handler called `hangUp()` or sent an `end`/`cancel` frame. */
  | 'hung-up'
  /** The carrier closed the socket or said the stream stopped. */
  | 'remote-closed'
  /** The server is shutting down. */
  | 'server-closed'
  /** `call.transfer()` handed the caller to someone else: the stream ended without a hang-up. */
  | 'transferred';
