// Helpers for the MMU tests: a VMSAv8-64 page-table builder (4 KiB granule) writing descriptors into guest
// RAM, system register access by name, and a catcher for aborts. Descriptor bits are written out from the
// Arm ARM's descriptor formats here, independently of emu/cpu/mmu.ts.

import { Machine, RAM_BASE } from '../../emu/board/machine.js';
import { INSN_ABORTED } from '../../emu/cpu/cpu.js';
import type { Cpu } from '../../emu/cpu/cpu.js';
import { SYSREG_BY_NAME, SCTLR_EL1_RESET } from '../../emu/cpu/sysregs.js';
import { R, LO, HI, toBigInt } from '../../emu/cpu/int64.js';

export { RAM_BASE };

// Descriptor bits (Arm ARM, VMSAv8-64 translation table format descriptors).
export const D = {
  TABLE: 3n, // bits[1:0] = 0b11 at levels 0-2
  BLOCK: 1n, // bits[1:0] = 0b01 at levels 1-2
  PAGE: 3n,  // bits[1:0] = 0b11 at level 3
  ATTR: (i: number) => BigInt(i) << 2n, // AttrIndx[2:0], bits [4:2]
  AP_EL0: 1n << 6n, // AP[1]: EL0 access
  AP_RO: 1n << 7n,  // AP[2]: read-only
  SH_ISH: 3n << 8n,
  SH_OSH: 2n << 8n,
  AF: 1n << 10n,
  NG: 1n << 11n,
  PXN: 1n << 53n,
  UXN: 1n << 54n,
  // Table descriptor attributes.
  PXN_TABLE: 1n << 59n,
  UXN_TABLE: 1n << 60n,
  AP_TABLE_NO_EL0: 1n << 61n, // APTable[0]
  AP_TABLE_RO: 1n << 62n,     // APTable[1]
};

/** MAIR_EL1 used by the tests: Attr0 Normal WB (0xff), Attr1 Device-nGnRnE (0x00), Attr2 Normal NC (0x44),
 * Attr3 Device-GRE (0x0c), Attr4 Device-nGnRE (0x04). */
export const MAIR = 0x04_0c_44_00_ffn;
export const NORMAL = D.ATTR(0) | D.SH_ISH | D.AF;
export const DEVICE = D.ATTR(1) | D.AF;

export interface TcrFields {
  t0sz?: number; t1sz?: number; epd0?: boolean; epd1?: boolean; tg0?: number; tg1?: number;
  a1?: boolean; ips?: number; as16?: boolean; tbi0?: boolean; tbi1?: boolean;
}

/** TCR_EL1 from fields (Arm ARM TCR_EL1 layout); 4 KiB granules (TG0 = 0b00, TG1 = 0b10) by default. */
export function tcr(f: TcrFields): bigint {
  return BigInt(f.t0sz ?? 25) | (f.epd0 ? 1n << 7n : 0n) | (BigInt(f.tg0 ?? 0) << 14n) |
    (BigInt(f.t1sz ?? 25) << 16n) | (f.a1 ? 1n << 22n : 0n) | (f.epd1 ? 1n << 23n : 0n) |
    (BigInt(f.tg1 ?? 2) << 30n) | (BigInt(f.ips ?? 5) << 32n) | (f.as16 ? 1n << 36n : 0n) |
    (f.tbi0 ? 1n << 37n : 0n) | (f.tbi1 ? 1n << 38n : 0n);
}

export function key(name: string): number {
  const d = SYSREG_BY_NAME.get(name);
  if (!d) throw new Error(`no system register ${name}`);
  return d.key;
}

export function setSys(c: Cpu, name: string, v: bigint): void {
  v = BigInt.asUintN(64, v);
  if (!c.sys.write(c, key(name), Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0)) throw new Error(`MSR ${name} refused`);
}

export function getSys(c: Cpu, name: string): bigint {
  if (!c.sys.read(c, key(name))) throw new Error(`MRS ${name} refused`);
  return toBigInt(R[LO], R[HI]);
}

export function newMachine(smp = 1): Machine {
  return new Machine({ smp, ramMiB: 16, stdout: () => {}, stderr: () => {} });
}

/** Page tables in guest RAM. Tables come from a bump allocator at `pool` (a RAM physical address). */
export class Tables {
  private next: number;
  constructor(readonly m: Machine, pool: number) { this.next = pool; }

  read(pa: number): bigint { return this.m.ram.dv.getBigUint64(pa - RAM_BASE, true); }
  write(pa: number, v: bigint): void { this.m.ram.dv.setBigUint64(pa - RAM_BASE, BigInt.asUintN(64, v), true); }

  /** A zeroed 4 KiB table. */
  alloc(): number {
    const pa = this.next;
    this.next += 0x1000;
    for (let k = 0; k < 0x1000; k += 8) this.write(pa + k, 0n);
    return pa;
  }

  /** Address of the level-`level` descriptor for `va` under a root table for an input size of
   * `inputsize` bits; creates missing intermediate tables when `create`. `tableAttrs` are ORed into the
   * table descriptor just above that level. */
  descAddr(root: number, inputsize: number, va: bigint, level: number, create = true, tableAttrs = 0n): number {
    // Starting level: 4 - ceil((inputsize - 12) / 9); level n resolves VA[12 + 9 * (3 - n) + 8 : 12 + 9 * (3 - n)].
    const start = 4 - Math.ceil((inputsize - 12) / 9);
    let table = root;
    for (let l = start; ; l++) {
      const shift = 12 + 9 * (3 - l);
      const bits = l === start ? inputsize - shift : 9;
      const index = Number((va >> BigInt(shift)) & ((1n << BigInt(bits)) - 1n));
      const at = table + index * 8;
      if (l === level) return at;
      const d = this.read(at);
      if ((d & 3n) !== 3n) {
        if (!create) throw new Error(`no table at level ${l} for 0x${va.toString(16)}`);
        const t = this.alloc();
        this.write(at, BigInt(t) | D.TABLE);
        table = t;
      } else {
        table = Number(d & 0x0000_ffff_ffff_f000n);
      }
      if (l === level - 1 && tableAttrs !== 0n) this.write(at, this.read(at) | tableAttrs);
    }
  }

  /** Map `va` to `pa` with a level-3 page (level 3), 2 MiB block (level 2) or 1 GiB block (level 1). */
  map(root: number, inputsize: number, va: bigint, pa: number | bigint, attrs = NORMAL, level = 3, tableAttrs = 0n): number {
    const at = this.descAddr(root, inputsize, va, level, true, tableAttrs);
    this.write(at, BigInt(pa) | (level === 3 ? D.PAGE : D.BLOCK) | attrs);
    return at;
  }
}

/** Turn the MMU on with these translation registers (through MSR, as a guest would). */
export function enableMmu(c: Cpu, regs: { tcr: bigint; ttbr0?: bigint; ttbr1?: bigint; mair?: bigint; sctlr?: bigint }): void {
  setSys(c, 'MAIR_EL1', regs.mair ?? MAIR);
  setSys(c, 'TCR_EL1', regs.tcr);
  setSys(c, 'TTBR0_EL1', regs.ttbr0 ?? 0n);
  setSys(c, 'TTBR1_EL1', regs.ttbr1 ?? 0n);
  setSys(c, 'SCTLR_EL1', regs.sctlr ?? (BigInt(SCTLR_EL1_RESET) | 1n));
}

export interface Abort { esr: number; far: bigint }

/** Run fn; return null if it completes, or ESR_EL1/FAR_EL1 if it took an abort (and was abandoned). */
export function abortOf(c: Cpu, fn: () => void): Abort | null {
  try {
    fn();
    return null;
  } catch (e) {
    if (e !== INSN_ABORTED) throw e;
    return { esr: Number(getSys(c, 'ESR_EL1')), far: getSys(c, 'FAR_EL1') };
  }
}

export function lohi(va: bigint): [number, number] {
  va = BigInt.asUintN(64, va);
  return [Number(va & 0xffffffffn) | 0, Number(va >> 32n) | 0];
}

export function hex(v: number | bigint): string {
  return '0x' + (typeof v === 'number' ? (v >>> 0) : v).toString(16);
}
