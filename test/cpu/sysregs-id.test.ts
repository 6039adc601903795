// The ID register space and the self-hosted debug registers, compared with what QEMU 7.2's cortex-a57
// does (measured with a bare-metal guest that MRSes every encoding at EL1 under qemu-system-aarch64).

import { describe, it, expect } from 'vitest';
import { R, LO, HI } from '../../emu/cpu/int64.js';
import { sysKey } from '../../emu/cpu/sysregs.js';
import { machineWith, mrs, msr } from '../harness.js';

function read(c: ReturnType<typeof machineWith>['c'], enc: [number, number, number, number, number]): bigint | undefined {
  if (!c.sys.read(c, sysKey(...enc))) return undefined;
  return (BigInt(R[HI] >>> 0) << 32n) | BigInt(R[LO] >>> 0);
}

describe('ID register space (op0=3, op1=0, CRn=0)', () => {
  it('is readable at EL1 wherever QEMU 7.2 reads it; unallocated encodings read as zero', () => {
    const { c } = machineWith([]);
    // QEMU 7.2 cortex-a57: in CRm=0 only MIDR (op2 0), MPIDR (5) and REVIDR (6) exist (the others
    // are UNDEFINED); CRm=1..7 are readable throughout.
    for (let crm = 0; crm < 8; crm++) {
      for (let op2 = 0; op2 < 8; op2++) {
        const v = read(c, [3, 0, 0, crm, op2]);
        const defined = crm !== 0 || op2 === 0 || op2 === 5 || op2 === 6;
        expect(v !== undefined, `S3_0_C0_C${crm}_${op2}`).toBe(defined);
      }
    }
    // Registers a 6.1 kernel reads that this core does not have: zero, so the features are absent.
    expect(read(c, [3, 0, 0, 6, 2])).toBe(0n); // ID_AA64ISAR2_EL1
    expect(read(c, [3, 0, 0, 4, 4])).toBe(0n); // ID_AA64ZFR0_EL1
    expect(read(c, [3, 0, 0, 4, 5])).toBe(0n); // ID_AA64SMFR0_EL1
    expect(read(c, [3, 0, 0, 7, 3])).toBe(0n); // ID_AA64MMFR3_EL1
    expect(read(c, [3, 0, 0, 1, 0])).toBe(0n); // ID_PFR0_EL1: no AArch32
  });

  it('is read-only, and UNDEFINED at EL0', () => {
    const { c } = machineWith([]);
    expect(c.sys.write(c, sysKey(3, 0, 0, 6, 2), 1, 0)).toBe(false);
    c.el = 0;
    expect(read(c, [3, 0, 0, 6, 2])).toBeUndefined();
  });

  it('ID_AA64DFR0_EL1 is QEMU\'s cortex-a57 value: 6 breakpoints, 4 watchpoints, PMUv3', () => {
    const { c } = machineWith([]);
    const dfr0 = mrs(c, 'ID_AA64DFR0_EL1');
    expect(dfr0).toBe(0x10305106n); // PMUVer [11:8] = 1
    const brps = Number((dfr0 >> 12n) & 0xfn) + 1, wrps = Number((dfr0 >> 20n) & 0xfn) + 1;
    expect([brps, wrps]).toEqual([6, 4]);
    // Every breakpoint and watchpoint register advertised exists and holds what is written; one more does not.
    for (let n = 0; n < 16; n++) {
      for (const [op2, count] of [[4, brps], [5, brps], [6, wrps], [7, wrps]]) {
        const key = sysKey(2, 0, 0, n, op2);
        expect(c.sys.write(c, key, 0x1234 + n, n), `n=${n} op2=${op2}`).toBe(n < count);
        if (n < count) expect(read(c, [2, 0, 0, n, op2])).toBe((BigInt(n) << 32n) | BigInt(0x1234 + n));
      }
    }
  });

  it('has the debug registers Linux touches: MDSCR, the OS lock, OS double lock, claim tags, MDCCINT', () => {
    const { c } = machineWith([]);
    expect(mrs(c, 'OSLSR_EL1')).toBe(0xan); // locked at reset, as QEMU
    msr(c, 'OSLAR_EL1', 0);
    expect(mrs(c, 'OSLSR_EL1')).toBe(0x8n);
    msr(c, 'OSLAR_EL1', 1);
    expect(mrs(c, 'OSLSR_EL1')).toBe(0xan);
    msr(c, 'MDSCR_EL1', 0x8000);
    expect(mrs(c, 'MDSCR_EL1')).toBe(0x8000n);
    msr(c, 'OSDLR_EL1', 0);
    msr(c, 'MDCCINT_EL1', 0);
    expect(mrs(c, 'DBGCLAIMSET_EL1')).toBe(0xffn);
    msr(c, 'DBGCLAIMSET_EL1', 0x81);
    expect(mrs(c, 'DBGCLAIMCLR_EL1')).toBe(0x81n);
    msr(c, 'DBGCLAIMCLR_EL1', 0x01);
    expect(mrs(c, 'DBGCLAIMCLR_EL1')).toBe(0x80n);
    expect(mrs(c, 'MDRAR_EL1')).toBe(0n);
  });
});
