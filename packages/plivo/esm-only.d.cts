// @callwire/plivo is ESM only: `require('@callwire/plivo')` throws. Use import, or await import() from CommonJS.
export {};
