// @callwire/openai-realtime is an ES module. This file is what `require('@callwire/openai-realtime')` resolves to, so that
// CommonJS code fails with this message instead of ERR_PACKAGE_PATH_NOT_EXPORTED.
throw new Error('@callwire/openai-realtime is ESM only: use import, or await import() from CommonJS');
