// Exception-loop detection: a core whose synchronous exception vector faults again, over and over
// (e.g. a vector table in unmapped memory, a handler whose first store hits a bad stack), would
// otherwise spin until --max-insns. The board stops the run (exit 123) and names the vector and ESR.
//
// The rule: a synchronous exception entry counts as a repeat of the previous one on that core when
//   - it goes to the same vector (same target EL, same address) with the same ESR, and
//   - the instruction that raised it lies inside that vector's own 0x80-byte slot (ELR in
//     [vector, vector + 0x80)), and
//   - the core retired at most SLOT_INSNS instructions in between (a slot holds 32).
// LOOP_REPEATS repeats in a row stop the run. Why no legitimate guest can trip it: the faulting
// instruction is in the handler's entry slot, before any handler could have saved ELR/SPSR (the entry
// masked interrupts, so nothing else ran on this core), so each repeat overwrote the previous
// exception's return state: the first one can never be returned from. Once that has happened
// LOOP_REPEATS times with the same syndrome, the core is in a fixed point that only another core
// rewriting its memory could break, and none did.

import type { Cpu } from '../cpu/cpu.js';

export const LOOP_REPEATS = 1000;
const SLOT_INSNS = 32;

const ORIGIN = ['current EL with SP_EL0', 'current EL with SP_ELx', 'lower EL using AArch64', 'lower EL using AArch32'];

export class ExceptionLoopDetector {
  private readonly vecLo: Int32Array;
  private readonly vecHi: Int32Array;
  private readonly target: Int8Array;
  private readonly esr: Int32Array;
  private readonly count: Float64Array;
  private readonly repeats: Int32Array;

  constructor(cores: number) {
    this.vecLo = new Int32Array(cores);
    this.vecHi = new Int32Array(cores);
    this.target = new Int8Array(cores).fill(-1);
    this.esr = new Int32Array(cores);
    this.count = new Float64Array(cores);
    this.repeats = new Int32Array(cores);
  }

  reset(): void {
    this.target.fill(-1);
    this.repeats.fill(0);
  }

  /** Core c has just entered a synchronous exception at EL `target` (its PC is the vector). Returns
   * true when this makes LOOP_REPEATS repeats in a row. */
  syncEntry(c: Cpu, target: number): boolean {
    const k = c.id;
    const count = c.icount + c.retiredInRun;
    const esr = c.sys.getEsr(target) | 0;
    const elr = c.sys.getElr(target);
    const repeat = this.target[k] === target && this.vecLo[k] === c.pcLo && this.vecHi[k] === c.pcHi && this.esr[k] === esr &&
      elr.hi === c.pcHi && ((elr.lo - c.pcLo) >>> 0) < 0x80 && count - this.count[k] <= SLOT_INSNS;
    this.repeats[k] = repeat ? this.repeats[k] + 1 : 0;
    this.target[k] = target; this.vecLo[k] = c.pcLo; this.vecHi[k] = c.pcHi; this.esr[k] = esr;
    this.count[k] = count;
    return this.repeats[k] >= LOOP_REPEATS;
  }

  /** The report for core c's loop (after syncEntry returned true). */
  describe(c: Cpu, target: number): string {
    const u64 = (lo: number, hi: number) => `0x${((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString(16)}`;
    const vbar = c.sys.vbar(target);
    const off = (c.pcLo - vbar.lo) >>> 0;
    const esr = c.sys.getEsr(target) >>> 0;
    const elr = c.sys.getElr(target);
    const origin = off < 0x800 && c.pcHi === vbar.hi ? ` (VBAR_EL${target} + 0x${off.toString(16)}: synchronous, from the ${ORIGIN[off >>> 9]})` : '';
    return `exception loop: the synchronous exception vector at ${u64(c.pcLo, c.pcHi)}${origin} faulted on its own first instructions ` +
      `${LOOP_REPEATS} times in a row, each time with ESR_EL${target}=0x${esr.toString(16)} (EC 0x${(esr >>> 26).toString(16)}), ` +
      `ELR_EL${target}=${u64(elr.lo, elr.hi)}`;
  }
}
