// @callwire/testing is ESM only: `require('@callwire/testing')` throws. Use import, or await import() from CommonJS.
export {};
