// @callwire/jambonz is ESM only: `require('@callwire/jambonz')` throws. Use import, or await import() from CommonJS.
export {};
