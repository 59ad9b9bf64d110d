const hostPattern = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The request's `Host` header when it is a plain host[:port], else `localhost` (it ends up in markup). */
export function safeHost(host: string | undefined): string {
  return host !== undefined && hostPattern.test(host) ? host : 'localhost';
}

/**
 * The media-stream URL carriers must connect to: `wss://` on an https public URL, `ws://` on an http
 * one, else `ws://` plus the request's host.
 */
export function streamUrlFor(path: string, publicUrl: string | undefined, host: string | undefined): string {
  if (publicUrl !== undefined) return `${publicUrl.replace(/^http/, 'ws')}${path}`;
  return `ws://${safeHost(host)}${path}`;
}

/** The absolute URL a carrier signed for a request to `requestPath` (path plus query). */
export function webhookUrlFor(
  requestPath: string,
  publicUrl: string | undefined,
  host: string | undefined,
): string {
  if (publicUrl !== undefined) return `${publicUrl}${requestPath}`;
  return `http://${safeHost(host)}${requestPath}`;
}
