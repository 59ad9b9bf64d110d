export { type BotName, bots, isBotName } from './bots.js';
export { echoBot } from './echo.js';
export { ivrBot, toneSamples } from './ivr.js';
export { createOpenAiBot, type OpenAiBotSettings, openAiBotSettings } from './openai.js';
