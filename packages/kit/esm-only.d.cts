// @callwire/kit is ESM only: `require('@callwire/kit')` throws. Use import, or await import() from CommonJS.
export {};
