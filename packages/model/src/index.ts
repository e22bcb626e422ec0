export * from './prediction.js';
export * from './contracts.js';
