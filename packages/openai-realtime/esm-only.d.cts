// @callwire/openai-realtime is ESM only: `require('@callwire/openai-realtime')` throws. Use import, or await import() from CommonJS.
export {};
