// @callwire/codec is ESM only: `require('@callwire/codec')` throws. Use import, or await import() from CommonJS.
export {};
