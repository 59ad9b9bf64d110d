// @callwire/exotel is ESM only: `require('@callwire/exotel')` throws. Use import, or await import() from CommonJS.
export {};
