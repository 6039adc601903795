// How the WebAssembly region writer names guest state for the instruction emitters (the counterpart of
// emit-dp.ts's Names): registers are i64 locals, the flags i32 locals holding 0 or 1.

import type { FnBuilder } from './encoder.js';

export interface WRegs {
  /** Push X[n] as an i64 (n = 31: XZR, pushes 0; n = 32: SP, as the decoder's prepare steps resolve
   * Rn/Rd = 31 where the encoding means SP). */
  get(f: FnBuilder, n: number): void;
  /** Pop an i64 into X[n] (n = 31: XZR, the value is dropped). */
  set(f: FnBuilder, n: number): void;
  /** The i32 locals of N, Z, C and V (each 0 or 1). write: the caller is about to assign them (the
   * writer then writes them back at the region's exits). */
  flags(write: boolean): { n: number; z: number; c: number; v: number };
}
