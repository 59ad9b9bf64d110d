export { type BotName, bots, isBotName } from './bots.js';
export { echoBot } from './echo.js';
export { createIvrBot, IVR_TRANSFER_TO_ENV, type IvrBotOptions, ivrBot, toneSamples } from './ivr.js';
export { createOpenAiBot, type OpenAiBotSettings, openAiBotSettings } from './openai.js';
