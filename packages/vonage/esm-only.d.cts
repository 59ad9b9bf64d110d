// @callwire/vonage is ESM only: `require('@callwire/vonage')` throws. Use import, or await import() from CommonJS.
export {};
