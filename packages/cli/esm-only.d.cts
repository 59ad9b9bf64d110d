// @callwire/cli is ESM only: `require('@callwire/cli')` throws. Use import, or await import() from CommonJS.
export {};
