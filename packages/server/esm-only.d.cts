// @callwire/server is ESM only: `require('@callwire/server')` throws. Use import, or await import() from CommonJS.
export {};
