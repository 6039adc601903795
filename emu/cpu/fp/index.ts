// The exact floating-point library (binary16/32/64 as bit patterns; see core.ts for the conventions).
export * from './core.js';
export * from './f32.js';
export * from './f64.js';
export * from './convert.js';
export * from './estimate.js';
