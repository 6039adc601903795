// The TypeScript API for driving a guest: see guest.ts for the documentation.
export {
  Guest, GuestCall, builtinImage,
  CALL_RETURN_HLT_IMM, CALL_RETURN_INSN, CALL_STACK_GAP, SCRATCH_BYTES, DEFAULT_BUDGET,
} from './guest.js';
export type { Addr, Arg, CallOptions, CoreState, GuestOptions, RunOutcome, RunReason, SleepReason } from './guest.js';
export type { MachineOptions, RunResult } from '../board/machine.js';
export type { MemoryModelName } from '../memory-model/model.js';
// Disks for the virtio-blk devices of GuestOptions.virtio: a file (copy-on-write unless snapshot is
// false) or bytes in memory.
export { Disk, fileStore, memoryStore } from '../devices/virtio/disk.js';
export type { DiskStore } from '../devices/virtio/disk.js';
export type { VirtioSpec } from '../board/machine.js';
