export * from './errors.js';
export * from './formatters/format-response.js';
export * from './formatters/speakers.js';
export * from './formatters/subtitles.js';
export * from './formatters/timestamps.js';
export * from './languages.js';
export * from './signing.js';
export * from './transcription.js';
