export * from './events.js';
export * from './options.js';
export * from './signature.js';
export * from './xml.js';
