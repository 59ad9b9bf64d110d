// @callwire/core is ESM only: `require('@callwire/core')` throws. Use import, or await import() from CommonJS.
export {};
