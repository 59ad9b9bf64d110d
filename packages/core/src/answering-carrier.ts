import type { DependencyContainer } from 'tsyringe';
import { registeredCarriers } from './container.js';
import { CallwireError } from './errors.js';
import type { CarrierPlugin } from './plugin.js';

/**
 * The carrier that answers webhook requests in `container`: the one called `name`, else the first
 * registered carrier with an `answer` hook, else `undefined`. Throws `UNKNOWN_CARRIER` when `name`
 * is given but not registered with an `answer` hook.
 */
export function findAnsweringCarrier(
  container: DependencyContainer,
  name?: string,
): CarrierPlugin<unknown, unknown> | undefined {
  const answering = registeredCarriers(container).filter((plugin) => typeof plugin.answer === 'function');
  if (name === undefined) return answering[0];
  const found = answering.find((plugin) => plugin.name === name);
  if (!found) {
    const known = answering.map((plugin) => plugin.name);
    throw new CallwireError(
      'UNKNOWN_CARRIER',
      `no carrier "${name}" with an answer hook; registered: ${known.length > 0 ? known.join(', ') : '(none)'}`,
    );
  }
  return found;
}
