import 'reflect-metadata';
import { type DependencyContainer, type InjectionToken, container as rootContainer } from 'tsyringe';
import { createHangUpOnce } from './auto-hang-up.js';
import type { CallControl } from './call-control.js';
import { CallwireError } from './errors.js';
import { createConsoleLogger, LOGGER, type Logger } from './logger.js';
import { parseConfig } from './options.js';
import type { CallInfo, CarrierPlugin } from './plugin.js';
import type { FrameSerializer, WireSerializer } from './serializer.js';
import { CALL_INFO, callControlToken, serializerFactoryToken } from './tokens.js';
import { withAutoHangUp } from './with-auto-hang-up.js';

const CARRIERS: InjectionToken<Map<string, CarrierPlugin<unknown, unknown>>> = Symbol('callwire.carriers');
/** Each registered carrier's resolved options, by carrier name. */
const CARRIER_OPTIONS: InjectionToken<Map<string, unknown>> = Symbol('callwire.carrier-options');

/**
 * A fresh container (a child of tsyringe's root) holding the logger and an empty carrier list.
 * Pass `logger` to replace the console default.
 */
export function createCallwireContainer(options: { logger?: Logger } = {}): DependencyContainer {
  const container = rootContainer.createChildContainer();
  container.register(LOGGER, { useValue: options.logger ?? createConsoleLogger() });
  container.register(CARRIERS, { useValue: new Map() });
  container.register(CARRIER_OPTIONS, { useValue: new Map() });
  return container;
}

function optionsMap(container: DependencyContainer): Map<string, unknown> {
  if (!container.isRegistered(CARRIER_OPTIONS, true)) {
    container.register(CARRIER_OPTIONS, { useValue: new Map() });
  }
  return container.resolve(CARRIER_OPTIONS);
}

function carrierMap(container: DependencyContainer): Map<string, CarrierPlugin<unknown, unknown>> {
  if (!container.isRegistered(CARRIERS, true)) {
    container.register(CARRIERS, { useValue: new Map() });
  }
  return container.resolve(CARRIERS);
}

/**
 * Validates `options` with the plugin's schema (a `CONFIG` error names every bad field) and
 * registers the carrier's serializer factory and `CallControl`. Returns the resolved options.
 */
export function registerCarrier<Options, Resolved>(
  container: DependencyContainer,
  plugin: CarrierPlugin<Options, Resolved>,
  options: Options,
): Resolved {
  if (!container.isRegistered(LOGGER, true)) {
    container.register(LOGGER, { useValue: createConsoleLogger() });
  }
  const resolved = parseConfig(plugin.name, 'options', plugin.options, options);
  plugin.register(container, resolved);
  carrierMap(container).set(plugin.name, plugin as CarrierPlugin<unknown, unknown>);
  optionsMap(container).set(plugin.name, resolved);
  return resolved;
}

/**
 * False when `carrier` was registered without what a REST hang-up needs (its credentials), so calls must
 * run with auto hang-up off; true when it has them, or does not say.
 */
export function canHangUp(container: DependencyContainer, carrier: string): boolean {
  requireCarrier(container, carrier);
  const plugin = carrierMap(container).get(carrier);
  return plugin?.canHangUp?.(optionsMap(container).get(carrier)) ?? true;
}

/** The carriers registered in `container`, in registration order. */
export function registeredCarriers(container: DependencyContainer): CarrierPlugin<unknown, unknown>[] {
  return [...carrierMap(container).values()];
}

function requireCarrier(container: DependencyContainer, carrier: string): void {
  if (!carrierMap(container).has(carrier)) {
    const known = [...carrierMap(container).keys()];
    throw new CallwireError(
      'UNKNOWN_CARRIER',
      `unknown carrier "${carrier}"; registered: ${known.length > 0 ? known.join(', ') : '(none)'}`,
    );
  }
}

/**
 * Creates one call's pure `WireSerializer` in a child container of its own (what the runtime uses).
 * Throws `UNKNOWN_CARRIER` for a carrier not registered here, and the carrier's `CONFIG` error for
 * bad per-call params.
 */
export function createWireSerializer(
  container: DependencyContainer,
  carrier: string,
  call: CallInfo,
): WireSerializer {
  requireCarrier(container, carrier);
  if (
    call === null ||
    typeof call !== 'object' ||
    typeof call.streamId !== 'string' ||
    call.streamId === ''
  ) {
    throw new CallwireError('CONFIG', `[${carrier}] streamId must be a non-empty string`);
  }
  const scope = container.createChildContainer();
  scope.register(CALL_INFO, { useValue: call });
  return scope.resolve(serializerFactoryToken(carrier))(call, scope);
}

/**
 * Creates one call's serializer with Pipecat's behaviour: `serialize(end | cancel)` hangs the call up
 * once through the carrier's registered `CallControl` (when its `autoHangUp` param is on).
 */
export function createSerializer(
  container: DependencyContainer,
  carrier: string,
  call: CallInfo,
): FrameSerializer {
  const wire = createWireSerializer(container, carrier, call);
  return withAutoHangUp(wire, resolveCallControl(container, carrier), container.resolve(LOGGER));
}

/** The `CallControl` a carrier registered in `container`. */
export function resolveCallControl(container: DependencyContainer, carrier: string): CallControl {
  requireCarrier(container, carrier);
  return container.resolve(callControlToken(carrier));
}

/**
 * The hang-up a call's end needs: through the carrier's `CallControl`, once, and only when the
 * serializer says so (`autoHangUp` with a call id). The runtime calls it after sending `end`'s messages.
 */
export function hangUpOnceFor(
  container: DependencyContainer,
  serializer: WireSerializer,
): ReturnType<typeof createHangUpOnce> {
  return createHangUpOnce({
    carrier: serializer.carrier,
    control: resolveCallControl(container, serializer.carrier),
    callId: serializer.callId,
    enabled: serializer.autoHangUp,
    logger: container.resolve(LOGGER),
  });
}
