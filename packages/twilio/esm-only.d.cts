// @callwire/twilio is ESM only: `require('@callwire/twilio')` throws. Use import, or await import() from CommonJS.
export {};
