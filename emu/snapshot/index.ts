// Whole-machine snapshots (see store.ts for the design, state.ts for what is captured).
export { Snapshot, SnapshotStore } from './store.js';
export type { SnapshotStoreOptions } from './store.js';
export { markNotState, notStateFields, refOnlyFields } from './state.js';
