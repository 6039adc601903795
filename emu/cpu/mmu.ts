// Stage-1 address translation for the EL1&0 regime (4 KiB granule) with a per-core software TLB.
// Filled in by the SMP-machine work; until then enabling the MMU stops the run with a clear message.

import type { Cpu, Access } from './cpu.js';

export class Mmu {
  translate(c: Cpu, vlo: number, vhi: number, _acc: Access, _size: number): number {
    c.env.fatal(c, 'the guest enabled the MMU (SCTLR_EL1.M); stage-1 translation is not implemented yet');
    return (vhi >>> 0) * 4294967296 + (vlo >>> 0);
  }

  /** TLBI: returns false for an encoding that is not a TLB maintenance operation we know. */
  tlbi(_c: Cpu, _op1: number, _crm: number, _op2: number, _rt: number): boolean { return true; }

  /** AT (address translate) into PAR_EL1. */
  at(_c: Cpu, _op1: number, _op2: number, _rt: number): boolean { return false; }

  /** Drop every cached translation of this core. */
  flush(_c: Cpu): void {}
}
