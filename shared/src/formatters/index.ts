// The formatters alone, without the zod schemas: what a browser bundle needs to render exports.
export * from './format-response.js';
export * from './subtitles.js';
export * from './timestamps.js';
