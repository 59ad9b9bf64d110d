export { startFailureText } from './banner.js';
export type { Bots } from './bots.js';
export { type AnyCarrierPlugin, CARRIER_KEYWORD, discoverCarriers } from './carriers.js';
export { echoBot } from './echo.js';
export { type RunCliOptions, runCli } from './main.js';
export { type ServeConfig, type ServedCarrier, type Serving, startServing } from './serve.js';
