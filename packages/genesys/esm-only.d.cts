// @callwire/genesys is ESM only: `require('@callwire/genesys')` throws. Use import, or await import() from CommonJS.
export {};
