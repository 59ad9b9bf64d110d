// @callwire/asterisk is ESM only: `require('@callwire/asterisk')` throws. Use import, or await import() from CommonJS.
export {};
