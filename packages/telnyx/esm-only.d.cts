// @callwire/telnyx is ESM only: `require('@callwire/telnyx')` throws. Use import, or await import() from CommonJS.
export {};
