import type { DependencyContainer } from 'tsyringe';
import type { CarrierPlugin, StreamAuthKind, StreamCredentials } from './plugin.js';

/** The stream-auth kind `plugin` declares; `'token'` when it declares none. */
export function streamAuthOf(plugin: Pick<CarrierPlugin<unknown, unknown>, 'streamAuth'>): StreamAuthKind {
  return plugin.streamAuth ?? 'token';
}

/** The basic-auth credentials of a `'basic'` carrier as registered in `container`, if it has any. */
export function streamCredentialsOf(
  plugin: Pick<CarrierPlugin<unknown, unknown>, 'streamCredentials'>,
  container: DependencyContainer,
): StreamCredentials | undefined {
  const credentials = plugin.streamCredentials?.(container);
  return credentials && credentials.username !== '' && credentials.password !== '' ? credentials : undefined;
}
