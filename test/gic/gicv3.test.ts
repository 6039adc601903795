// GICv3 rules, driven through the distributor/redistributor MMIO devices and the ICC_* system register
// hooks of real cores. Expected values come from Arm IHI 0069 (and QEMU's virt GIC where the spec leaves
// a choice, as documented at the top of emu/gic/gicv3.ts).

import { describe, it, expect } from 'vitest';
import { Machine, RAM_BASE } from '../../emu/board/machine.js';
import { GicV3, takeInterrupt, INTID_SPURIOUS } from '../../emu/gic/gicv3.js';
import { sysKey } from '../../emu/cpu/sysregs.js';
import { INSN_ABORTED, type Cpu } from '../../emu/cpu/cpu.js';
import { sysRegKey as key, mrs, msr } from '../harness.js';

const SGI = 0x1_0000; // SGI_base frame offset in a redistributor
const GICR_STRIDE = 0x2_0000;

const mrs32 = (c: Cpu, name: string): number => Number(mrs(c, name) & 0xffffffffn);

/** ICC_SGI1R_EL1 value from its fields (Arm IHI 0069, ICC_SGI1R_EL1). */
function sgi1r(f: { intid: number; targets?: number; aff1?: number; aff2?: number; aff3?: number; irm?: number; rs?: number }): bigint {
  return BigInt(f.targets ?? 0) | (BigInt(f.aff1 ?? 0) << 16n) | (BigInt(f.intid) << 24n) |
    (BigInt(f.aff2 ?? 0) << 32n) | (BigInt(f.irm ?? 0) << 40n) | (BigInt(f.rs ?? 0) << 44n) | (BigInt(f.aff3 ?? 0) << 48n);
}

interface Rig { m: Machine; gic: GicV3; cores: Cpu[]; changes: number[] }

/** Real cores from a Machine, with a GIC built for the given MPIDRs attached as their CPU interfaces. */
function rig(mpidrs: number[]): Rig {
  const m = new Machine({ smp: mpidrs.length, ramMiB: 16, stdout: () => {}, stderr: () => {} });
  const gic = new GicV3(mpidrs);
  m.cores.forEach((c, k) => { c.gicc = gic.cpus[k]; c.timer = null; });
  const changes: number[] = [];
  gic.onLineChange = (k) => changes.push(k);
  return { m, gic, cores: m.cores, changes };
}

const oneCluster = (n: number): number[] => Array.from({ length: n }, (_, k) => (0x8000_0000 | k) >>> 0);
/** 2 clusters x 4 cores: Aff1 = cluster, Aff0 = core in cluster. */
const twoClusters = (): number[] => Array.from({ length: 8 }, (_, k) => (0x8000_0000 | ((k >> 2) << 8) | (k & 3)) >>> 0);

const dW = (g: GicV3, off: number, v: number): void => g.distributor.write(off, 4, v >>> 0, 0);
const dR = (g: GicV3, off: number): number => g.distributor.read(off, 4, 0);
const rW = (g: GicV3, k: number, off: number, v: number): void => g.redistributors.write(k * GICR_STRIDE + off, 4, v >>> 0, k);
const rR = (g: GicV3, k: number, off: number): number => g.redistributors.read(k * GICR_STRIDE + off, 4, k);

/** Make core k take group-1 interrupts: SGIs/PPIs group 1 and enabled, awake, PMR open, IGRPEN1 on. */
function enableCore(r: Rig, k: number, opts: { group?: number } = {}): void {
  rW(r.gic, k, SGI + 0x80, opts.group ?? 0xffffffff);
  rW(r.gic, k, SGI + 0x100, 0xffffffff);
  rW(r.gic, k, 0x14, 0);
  msr(r.cores[k], 'ICC_PMR_EL1', 0xff);
  msr(r.cores[k], 'ICC_IGRPEN1_EL1', 1);
  msr(r.cores[k], 'ICC_IGRPEN0_EL1', 1);
}

function setup(mpidrs: number[]): Rig {
  const r = rig(mpidrs);
  dW(r.gic, 0x0000, 0x3); // EnableGrp0 | EnableGrp1
  for (let k = 0; k < mpidrs.length; k++) enableCore(r, k);
  r.changes.length = 0;
  return r;
}

const ispendr0 = (r: Rig, k: number): number => rR(r.gic, k, SGI + 0x200);
const isactiver0 = (r: Rig, k: number): number => rR(r.gic, k, SGI + 0x300);
/** Set byte priority of a private interrupt of core k. */
const prioPriv = (r: Rig, k: number, intid: number, p: number): void => r.gic.redistributors.write(k * GICR_STRIDE + SGI + 0x400 + intid, 1, p, k);

describe('system register encodings (Arm ARM / IHI 0069)', () => {
  const table: [string, number, number, number, number, number][] = [
    ['ICC_PMR_EL1', 3, 0, 4, 6, 0], ['ICC_IAR0_EL1', 3, 0, 12, 8, 0], ['ICC_EOIR0_EL1', 3, 0, 12, 8, 1],
    ['ICC_HPPIR0_EL1', 3, 0, 12, 8, 2], ['ICC_BPR0_EL1', 3, 0, 12, 8, 3], ['ICC_AP0R0_EL1', 3, 0, 12, 8, 4],
    ['ICC_AP1R0_EL1', 3, 0, 12, 9, 0], ['ICC_DIR_EL1', 3, 0, 12, 11, 1], ['ICC_RPR_EL1', 3, 0, 12, 11, 3],
    ['ICC_SGI1R_EL1', 3, 0, 12, 11, 5], ['ICC_ASGI1R_EL1', 3, 0, 12, 11, 6], ['ICC_SGI0R_EL1', 3, 0, 12, 11, 7],
    ['ICC_IAR1_EL1', 3, 0, 12, 12, 0], ['ICC_EOIR1_EL1', 3, 0, 12, 12, 1], ['ICC_HPPIR1_EL1', 3, 0, 12, 12, 2],
    ['ICC_BPR1_EL1', 3, 0, 12, 12, 3], ['ICC_CTLR_EL1', 3, 0, 12, 12, 4], ['ICC_SRE_EL1', 3, 0, 12, 12, 5],
    ['ICC_IGRPEN0_EL1', 3, 0, 12, 12, 6], ['ICC_IGRPEN1_EL1', 3, 0, 12, 12, 7], ['ICC_SRE_EL2', 3, 4, 12, 9, 5],
    ['ICH_HCR_EL2', 3, 4, 12, 11, 0],
  ];
  it.each(table)('%s is op0=%i op1=%i CRn=%i CRm=%i op2=%i', (name, op0, op1, crn, crm, op2) => {
    expect(key(name)).toBe(sysKey(op0, op1, crn, crm, op2));
  });
  it('write-only and read-only registers refuse the other direction, EL0 cannot reach ICC registers', () => {
    const { cores: [c] } = setup(oneCluster(1));
    expect(c.sys.read(c, key('ICC_SGI1R_EL1'))).toBe(false);
    expect(c.sys.read(c, key('ICC_EOIR1_EL1'))).toBe(false);
    expect(c.sys.write(c, key('ICC_IAR1_EL1'), 0, 0)).toBe(false);
    expect(c.sys.write(c, key('ICC_RPR_EL1'), 0, 0)).toBe(false);
    c.selectSp(0, 0);
    expect(c.sys.read(c, key('ICC_PMR_EL1'))).toBe(false);
  });
});

describe('reset and identification values', () => {
  it('distributor: CTLR (DS, ARE), TYPER, IIDR, PIDR2.ArchRev = 3', () => {
    const { gic } = rig(oneCluster(4));
    expect(dR(gic, 0x0000)).toBe(0x50); // DS (6) | ARE (4), groups disabled, RWP 0
    dW(gic, 0x0000, 0xffffffff);
    expect(dR(gic, 0x0000)).toBe(0x53); // only the two group enables are writable
    const typer = dR(gic, 0x0004);
    expect(typer & 0x1f).toBe(8); // ITLinesNumber: max SPI INTID 32*(8+1)-1 = 287
    expect((typer >>> 19) & 0x1f).toBe(0xf); // IDbits: 16
    expect((typer >>> 24) & 1).toBe(1); // A3V
    expect((typer >>> 10) & 1).toBe(0); // SecurityExtn RAZ with DS = 1
    expect((typer >>> 26) & 1).toBe(0); // RSS: all Aff0 < 16
    expect(dR(gic, 0x0008)).toBe(0x43b);
    expect((dR(gic, 0xffe8) >>> 4) & 0xf).toBe(3);
    expect(dR(gic, 0xffe0)).toBe(0x92);
  });
  it('redistributor: WAKER asleep, ICFGR0 all edge, ICFGR1 all level, PIDR2.ArchRev = 3', () => {
    const { gic } = rig(oneCluster(2));
    expect(rR(gic, 1, 0x14)).toBe(0x6);
    expect(rR(gic, 1, SGI + 0xc00)).toBe(0xaaaaaaaa);
    expect(rR(gic, 1, SGI + 0xc04)).toBe(0);
    expect(rR(gic, 1, 0x04)).toBe(0x43b);
    expect((rR(gic, 1, 0xffe8) >>> 4) & 0xf).toBe(3);
    rW(gic, 1, SGI + 0xc00, 0); // ICFGR0 is read-only
    expect(rR(gic, 1, SGI + 0xc00)).toBe(0xaaaaaaaa);
  });
  it('CPU interface: SRE = 7, CTLR PRIbits = 4 / IDbits = 1 / A3V, BPR0 = 2, BPR1 = 3, PMR = 0', () => {
    const { cores: [c] } = rig(oneCluster(1));
    expect(mrs(c, 'ICC_SRE_EL1')).toBe(7n);
    msr(c, 'ICC_SRE_EL1', 0);
    expect(mrs(c, 'ICC_SRE_EL1')).toBe(7n);
    const ctlr = mrs32(c, 'ICC_CTLR_EL1');
    expect((ctlr >>> 8) & 7).toBe(4); // 5 priority bits
    expect((ctlr >>> 11) & 7).toBe(1); // 24-bit INTIDs (QEMU)
    expect((ctlr >>> 15) & 1).toBe(1);
    expect((ctlr >>> 18) & 1).toBe(0); // RSS
    expect(mrs(c, 'ICC_BPR0_EL1')).toBe(2n);
    expect(mrs(c, 'ICC_BPR1_EL1')).toBe(3n);
    expect(mrs(c, 'ICC_PMR_EL1')).toBe(0n);
    expect(mrs(c, 'ICC_RPR_EL1')).toBe(0xffn);
  });
  it('PMR keeps 5 bits; BPRs clamp to their minimum', () => {
    const { cores: [c] } = rig(oneCluster(1));
    msr(c, 'ICC_PMR_EL1', 0xff);
    expect(mrs(c, 'ICC_PMR_EL1')).toBe(0xf8n);
    msr(c, 'ICC_BPR1_EL1', 0);
    expect(mrs(c, 'ICC_BPR1_EL1')).toBe(3n);
    msr(c, 'ICC_BPR0_EL1', 1);
    expect(mrs(c, 'ICC_BPR0_EL1')).toBe(2n);
    msr(c, 'ICC_BPR1_EL1', 5);
    expect(mrs(c, 'ICC_BPR1_EL1')).toBe(5n);
  });
});

describe('redistributor frames', () => {
  it('GICR_TYPER: affinity from MPIDR, Processor_Number, Last only on the final redistributor', () => {
    const mp = twoClusters();
    const { gic } = rig(mp);
    for (let k = 0; k < 8; k++) {
      const lo = rR(gic, k, 0x08), hi = rR(gic, k, 0x0c);
      expect(hi, `core ${k} affinity`).toBe(((k >> 2) << 8) | (k & 3));
      expect((lo >>> 8) & 0xffff).toBe(k);
      expect((lo >>> 4) & 1).toBe(k === 7 ? 1 : 0);
      expect(lo & 1).toBe(0); // PLPIS: no LPIs
    }
    expect(gic.redistributorSize).toBe(8 * 0x20000);
  });
  it('GICR_WAKER: clearing ProcessorSleep clears ChildrenAsleep, setting it sets both', () => {
    const { gic } = rig(oneCluster(2));
    rW(gic, 0, 0x14, 0xfffffffd); // everything but ProcessorSleep
    expect(rR(gic, 0, 0x14)).toBe(0);
    expect(rR(gic, 1, 0x14)).toBe(6); // the other core's redistributor is untouched
    rW(gic, 0, 0x14, 2);
    expect(rR(gic, 0, 0x14)).toBe(6);
  });
  it('IPRIORITYR is byte accessible and word accessible, little-endian', () => {
    const { gic } = rig(oneCluster(1));
    rW(gic, 0, SGI + 0x404, 0x44332211); // INTIDs 4..7
    expect(gic.redistributors.read(SGI + 0x405, 1, 0)).toBe(0x22);
    gic.redistributors.write(SGI + 0x407, 1, 0x99, 0);
    expect(rR(gic, 0, SGI + 0x404)).toBe(0x99332211);
  });
});

describe('SGIs through ICC_SGI1R_EL1', () => {
  it('TargetList selects Aff0 values within the writer\'s Aff3.Aff2.Aff1', () => {
    const r = setup(oneCluster(4));
    const seen: [number, number[], number, bigint][] = [];
    r.gic.onSgi = (s, t, i, raw) => seen.push([s, t, i, raw]);
    const v = sgi1r({ intid: 5, targets: 0b1010 });
    msr(r.cores[0], 'ICC_SGI1R_EL1', v);
    expect([0, 1, 2, 3].map((k) => (ispendr0(r, k) >>> 5) & 1)).toEqual([0, 1, 0, 1]);
    expect([0, 1, 2, 3].map((k) => r.gic.irqLine(k))).toEqual([false, true, false, true]);
    expect(r.changes.sort()).toEqual([1, 3]);
    expect(seen).toEqual([[0, [1, 3], 5, v]]);
    expect(r.gic.stats.sgiWrites[0]).toBe(1);
    expect(r.gic.stats.sgisSent[0]).toBe(2);
  });
  it('IRM = 1 targets every core but the writer, ignoring TargetList and affinity', () => {
    const r = setup(oneCluster(4));
    msr(r.cores[2], 'ICC_SGI1R_EL1', sgi1r({ intid: 9, irm: 1, targets: 0b0100, aff1: 7 }));
    expect([0, 1, 2, 3].map((k) => (ispendr0(r, k) >>> 9) & 1)).toEqual([1, 1, 0, 1]);
    expect(r.gic.stats.sgisSent[2]).toBe(3);
  });
  it('two clusters: Aff1 picks the cluster, TargetList the cores in it', () => {
    const r = setup(twoClusters());
    msr(r.cores[1], 'ICC_SGI1R_EL1', sgi1r({ intid: 3, aff1: 1, targets: 0b0101 }));
    const pend = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => (ispendr0(r, k) >>> 3) & 1);
    expect(pend).toEqual([0, 0, 0, 0, 1, 0, 1, 0]); // cores 4 and 6 = 0.0.1.0 and 0.0.1.2
    // Same TargetList without Aff1 reaches the writer's own cluster, the writer included.
    msr(r.cores[5], 'ICC_SGI1R_EL1', sgi1r({ intid: 4, targets: 0b0011 }));
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((k) => (ispendr0(r, k) >>> 4) & 1)).toEqual([1, 1, 0, 0, 0, 0, 0, 0]);
    // A non-matching Aff2 or Aff3 reaches nobody.
    msr(r.cores[0], 'ICC_SGI1R_EL1', sgi1r({ intid: 6, aff1: 1, aff2: 1, targets: 0xffff }));
    msr(r.cores[0], 'ICC_SGI1R_EL1', sgi1r({ intid: 6, aff1: 1, aff3: 1, targets: 0xffff }));
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((k) => (ispendr0(r, k) >>> 6) & 1)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.gic.stats.sgisSent[0]).toBe(0);
  });
  it('RS offsets TargetList by 16 Aff0 values (RSS advertised when some Aff0 > 15)', () => {
    const r = setup(Array.from({ length: 20 }, (_, k) => (0x8000_0000 | k) >>> 0));
    expect((mrs32(r.cores[0], 'ICC_CTLR_EL1') >>> 18) & 1).toBe(1);
    expect((dR(r.gic, 0x0004) >>> 26) & 1).toBe(1);
    msr(r.cores[0], 'ICC_SGI1R_EL1', sgi1r({ intid: 2, rs: 1, targets: 0b0100 }));
    const hit = r.cores.map((_, k) => (ispendr0(r, k) >>> 2) & 1);
    expect(hit.indexOf(1)).toBe(18);
    expect(hit.reduce((a, b) => a + b)).toBe(1);
  });
  it('a target that configures the SGI as group 0 ignores a group-1 SGI; SGI0R then delivers it as FIQ', () => {
    const r = setup(oneCluster(2));
    rW(r.gic, 1, SGI + 0x80, 0xffffffff & ~(1 << 7)); // SGI 7 in group 0 on core 1
    msr(r.cores[0], 'ICC_SGI1R_EL1', sgi1r({ intid: 7, targets: 0b10 }));
    expect((ispendr0(r, 1) >>> 7) & 1).toBe(0);
    msr(r.cores[0], 'ICC_SGI0R_EL1', sgi1r({ intid: 7, targets: 0b10 }));
    expect((ispendr0(r, 1) >>> 7) & 1).toBe(1);
    expect(r.gic.fiqLine(1)).toBe(true);
    expect(r.gic.irqLine(1)).toBe(false);
    expect(mrs(r.cores[1], 'ICC_HPPIR1_EL1')).toBe(1023n);
    expect(mrs(r.cores[1], 'ICC_IAR1_EL1')).toBe(1023n);
    expect(mrs(r.cores[1], 'ICC_HPPIR0_EL1')).toBe(7n);
    expect(mrs(r.cores[1], 'ICC_IAR0_EL1')).toBe(7n);
    expect(r.gic.fiqLine(1)).toBe(false);
  });
  it('acknowledged SGIs are counted per receiving core, and onAck reports them', () => {
    const r = setup(oneCluster(2));
    const acks: [number, number][] = [];
    r.gic.onAck = (k, i) => acks.push([k, i]);
    msr(r.cores[0], 'ICC_SGI1R_EL1', sgi1r({ intid: 1, targets: 0b10 }));
    expect(mrs(r.cores[1], 'ICC_IAR1_EL1')).toBe(1n);
    expect(r.gic.stats.sgisReceived).toEqual([0, 1]);
    expect(r.gic.stats.irqsAcked).toEqual([0, 1]);
    expect(acks).toEqual([[1, 1]]);
  });
});

describe('priorities, masking, preemption', () => {
  it('spurious 1023 with nothing pending', () => {
    const r = setup(oneCluster(1));
    expect(mrs(r.cores[0], 'ICC_IAR1_EL1')).toBe(1023n);
    expect(INTID_SPURIOUS).toBe(1023);
  });
  it('PMR masks priorities >= PMR; HPPIR1 still shows the interrupt', () => {
    const r = setup(oneCluster(1));
    const c = r.cores[0];
    prioPriv(r, 0, 2, 0x80);
    msr(c, 'ICC_PMR_EL1', 0x80);
    rW(r.gic, 0, SGI + 0x200, 1 << 2); // ISPENDR0: SGI 2
    expect(r.gic.irqLine(0)).toBe(false);
    expect(mrs(c, 'ICC_HPPIR1_EL1')).toBe(2n);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(1023n);
    msr(c, 'ICC_PMR_EL1', 0x88);
    expect(r.gic.irqLine(0)).toBe(true);
    expect(r.changes).toEqual([0]);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(2n);
  });
  it('higher priority (lower value) wins; equal priority goes to the lowest INTID', () => {
    const r = setup(oneCluster(1));
    const c = r.cores[0];
    for (const [i, p] of [[3, 0x60], [4, 0x40], [5, 0x40], [20, 0x40]] as const) prioPriv(r, 0, i, p);
    rW(r.gic, 0, SGI + 0x200, (1 << 3) | (1 << 5) | (1 << 4) | (1 << 20));
    const order = [mrs(c, 'ICC_IAR1_EL1')];
    msr(c, 'ICC_EOIR1_EL1', order[0]);
    for (let n = 0; n < 3; n++) { const id = mrs(c, 'ICC_IAR1_EL1'); order.push(id); msr(c, 'ICC_EOIR1_EL1', id); }
    expect(order).toEqual([4n, 5n, 20n, 3n]);
  });
  it('running priority blocks equal and lower priorities; a higher one preempts and nests', () => {
    const r = setup(oneCluster(1));
    const c = r.cores[0];
    prioPriv(r, 0, 1, 0x80); prioPriv(r, 0, 2, 0x80); prioPriv(r, 0, 3, 0x40);
    rW(r.gic, 0, SGI + 0x200, 1 << 1);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(1n);
    expect(mrs(c, 'ICC_RPR_EL1')).toBe(0x80n);
    expect(mrs(c, 'ICC_AP1R0_EL1')).toBe(1n << 16n); // group priority 0x80 >> 3
    rW(r.gic, 0, SGI + 0x200, 1 << 2);
    expect(r.gic.irqLine(0)).toBe(false); // same group priority: no preemption
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(1023n);
    rW(r.gic, 0, SGI + 0x200, 1 << 3);
    expect(r.gic.irqLine(0)).toBe(true);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(3n);
    expect(mrs(c, 'ICC_RPR_EL1')).toBe(0x40n);
    msr(c, 'ICC_EOIR1_EL1', 3);
    expect(mrs(c, 'ICC_RPR_EL1')).toBe(0x80n);
    expect(r.gic.irqLine(0)).toBe(false); // SGI 2 still blocked by SGI 1
    msr(c, 'ICC_EOIR1_EL1', 1);
    expect(mrs(c, 'ICC_RPR_EL1')).toBe(0xffn);
    expect(r.gic.irqLine(0)).toBe(true);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(2n);
  });
  it('BPR1 sets the group priority: subpriority bits do not preempt', () => {
    const r = setup(oneCluster(1));
    const c = r.cores[0];
    prioPriv(r, 0, 1, 0x88); prioPriv(r, 0, 2, 0x80);
    rW(r.gic, 0, SGI + 0x200, 1 << 1);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(1n);
    expect(mrs(c, 'ICC_RPR_EL1')).toBe(0x88n);
    rW(r.gic, 0, SGI + 0x200, 1 << 2);
    expect(r.gic.irqLine(0)).toBe(true); // BPR1 = 3: group priority bits [7:3]: 0x80 < 0x88
    msr(c, 'ICC_BPR1_EL1', 4); // group priority bits [7:4]: 0x80 vs 0x80
    expect(r.gic.irqLine(0)).toBe(false);
    msr(c, 'ICC_EOIR1_EL1', 1);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(2n);
    expect(mrs(c, 'ICC_RPR_EL1')).toBe(0x80n);
    // Acknowledged under BPR1 = 4, priority 0x98 is active at group priority 0x90.
    msr(c, 'ICC_EOIR1_EL1', 2);
    prioPriv(r, 0, 6, 0x98);
    rW(r.gic, 0, SGI + 0x200, 1 << 6);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(6n);
    expect(mrs(c, 'ICC_RPR_EL1')).toBe(0x90n);
  });
  it('CBPR = 1: group 1 uses BPR0, BPR1 reads BPR0 + 1 and ignores writes', () => {
    const r = setup(oneCluster(1));
    const c = r.cores[0];
    msr(c, 'ICC_CTLR_EL1', 1);
    msr(c, 'ICC_BPR0_EL1', 4);
    expect(mrs(c, 'ICC_BPR1_EL1')).toBe(5n);
    msr(c, 'ICC_BPR1_EL1', 3);
    expect(mrs(c, 'ICC_BPR1_EL1')).toBe(5n);
    prioPriv(r, 0, 1, 0x88); prioPriv(r, 0, 2, 0x60);
    rW(r.gic, 0, SGI + 0x200, 1 << 1);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(1n);
    expect(mrs(c, 'ICC_RPR_EL1')).toBe(0x80n); // BPR0 = 4: group priority bits [7:5]
    rW(r.gic, 0, SGI + 0x200, 1 << 2);
    expect(r.gic.irqLine(0)).toBe(true); // 0x60 -> 0x60 < 0x80
  });
  it('priority 0xFF is never signalled', () => {
    const r = setup(oneCluster(1));
    prioPriv(r, 0, 8, 0xff);
    rW(r.gic, 0, SGI + 0x200, 1 << 8);
    expect(r.gic.irqLine(0)).toBe(false);
    expect(mrs(r.cores[0], 'ICC_HPPIR1_EL1')).toBe(1023n);
  });
  it('group enables: GICD_CTLR.EnableGrp1 and ICC_IGRPEN1_EL1 both gate group 1', () => {
    const r = setup(oneCluster(1));
    rW(r.gic, 0, SGI + 0x200, 1 << 4);
    expect(r.gic.irqLine(0)).toBe(true);
    msr(r.cores[0], 'ICC_IGRPEN1_EL1', 0);
    expect(r.gic.irqLine(0)).toBe(false);
    msr(r.cores[0], 'ICC_IGRPEN1_EL1', 1);
    dW(r.gic, 0, 0x1);
    expect(r.gic.irqLine(0)).toBe(false);
    dW(r.gic, 0, 0x2);
    expect(r.gic.irqLine(0)).toBe(true);
    rW(r.gic, 0, SGI + 0x180, 1 << 4); // ICENABLER0
    expect(r.gic.irqLine(0)).toBe(false);
  });
});

describe('acknowledge, end of interrupt, deactivation', () => {
  it('EOImode = 0: EOIR drops the priority and deactivates', () => {
    const r = setup(oneCluster(1));
    const c = r.cores[0];
    rW(r.gic, 0, SGI + 0x200, 1 << 9);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(9n);
    expect(isactiver0(r, 0)).toBe(1 << 9);
    expect(ispendr0(r, 0)).toBe(0);
    msr(c, 'ICC_EOIR1_EL1', 9);
    expect(isactiver0(r, 0)).toBe(0);
    expect(mrs(c, 'ICC_RPR_EL1')).toBe(0xffn);
    msr(c, 'ICC_DIR_EL1', 9); // ignored with EOImode = 0
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(1023n);
  });
  it('EOImode = 1: EOIR only drops the priority; DIR deactivates', () => {
    const r = setup(oneCluster(1));
    const c = r.cores[0];
    msr(c, 'ICC_CTLR_EL1', 2);
    expect(mrs32(c, 'ICC_CTLR_EL1') & 3).toBe(2);
    rW(r.gic, 0, SGI + 0x200, 1 << 9);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(9n);
    msr(c, 'ICC_EOIR1_EL1', 9);
    expect(mrs(c, 'ICC_RPR_EL1')).toBe(0xffn);
    expect(isactiver0(r, 0)).toBe(1 << 9);
    rW(r.gic, 0, SGI + 0x200, 1 << 9); // pending again while active: not signalled
    expect(r.gic.irqLine(0)).toBe(false);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(1023n);
    msr(c, 'ICC_DIR_EL1', 9);
    expect(isactiver0(r, 0)).toBe(0);
    expect(r.gic.irqLine(0)).toBe(true);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(9n);
  });
  it('EOIR with nothing active, of the other group, or of a spurious ID changes nothing', () => {
    const r = setup(oneCluster(1));
    const c = r.cores[0];
    rW(r.gic, 0, SGI + 0x300, 1 << 9); // active without an acknowledge: no active priority
    msr(c, 'ICC_EOIR1_EL1', 9);
    expect(isactiver0(r, 0)).toBe(1 << 9);
    rW(r.gic, 0, SGI + 0x380, 1 << 9);
    prioPriv(r, 0, 9, 0x50);
    rW(r.gic, 0, SGI + 0x200, 1 << 9);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(9n);
    msr(c, 'ICC_EOIR1_EL1', 1023);
    msr(c, 'ICC_EOIR0_EL1', 9); // the active priority belongs to group 1
    expect(mrs(c, 'ICC_RPR_EL1')).toBe(0x50n);
    expect(isactiver0(r, 0)).toBe(1 << 9);
    msr(c, 'ICC_EOIR1_EL1', 9);
    expect(isactiver0(r, 0)).toBe(0);
  });
  it('a level interrupt still asserted becomes active and pending, and is taken again after EOI', () => {
    const r = setup(oneCluster(1));
    const c = r.cores[0];
    r.gic.setPpi(0, 23, true);
    expect(r.gic.irqLine(0)).toBe(true);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(23n);
    expect(isactiver0(r, 0)).toBe(1 << 23);
    expect(ispendr0(r, 0)).toBe(1 << 23); // the line is still high
    expect(r.gic.irqLine(0)).toBe(false);
    msr(c, 'ICC_EOIR1_EL1', 23);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(23n);
    r.gic.setPpi(0, 23, false);
    msr(c, 'ICC_EOIR1_EL1', 23);
    expect(ispendr0(r, 0)).toBe(0);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(1023n);
  });
  it('an edge-configured PPI latches a pulse; a level PPI forgets it', () => {
    const r = setup(oneCluster(1));
    r.gic.setPpi(0, 24, true); r.gic.setPpi(0, 24, false);
    expect(ispendr0(r, 0)).toBe(0);
    rW(r.gic, 0, SGI + 0xc04, 2 << (2 * (24 - 16))); // ICFGR1: PPI 24 edge
    expect(rR(r.gic, 0, SGI + 0xc04)).toBe(2 << 16);
    r.gic.setPpi(0, 24, true); r.gic.setPpi(0, 24, false);
    expect(ispendr0(r, 0)).toBe(1 << 24);
    expect(mrs(r.cores[0], 'ICC_IAR1_EL1')).toBe(24n);
    expect(ispendr0(r, 0)).toBe(0);
  });
  it('ICPENDR clears a latched pending state, ICACTIVER an active one', () => {
    const r = setup(oneCluster(1));
    rW(r.gic, 0, SGI + 0x200, 3);
    rW(r.gic, 0, SGI + 0x280, 1);
    expect(ispendr0(r, 0)).toBe(2);
    rW(r.gic, 0, SGI + 0x300, 4);
    expect(isactiver0(r, 0)).toBe(4);
    rW(r.gic, 0, SGI + 0x380, 4);
    expect(isactiver0(r, 0)).toBe(0);
  });
});

describe('SPIs: the UART line and GICD_IROUTER', () => {
  function uartRig(): Rig {
    const r = setup(oneCluster(4));
    r.m.uart.onIrq = (level) => r.gic.setSpi(33, level);
    dW(r.gic, 0x084, 1 << 1); // IGROUPR1: INTID 33 group 1
    dW(r.gic, 0x104, 1 << 1); // ISENABLER1
    r.gic.distributor.write(0x400 + 33, 1, 0xa0, 0); // IPRIORITYR byte
    dW(r.gic, 0x6000 + 33 * 8, 2); // IROUTER33: Aff0 = 2 -> core 2
    r.changes.length = 0;
    return r;
  }
  it('a level SPI from the PL011 reaches the routed core only, and leaves when the UART clears it', () => {
    const r = uartRig();
    r.m.uart.write(0x038, 4, 1 << 5); // IMSC: TX interrupt
    r.m.uart.write(0x000, 4, 0x41);  // DR: the byte goes out, TX interrupt raised
    expect([0, 1, 2, 3].map((k) => r.gic.irqLine(k))).toEqual([false, false, true, false]);
    expect(r.changes).toEqual([2]);
    expect(dR(r.gic, 0x204) & 2).toBe(2); // ISPENDR1 shows the level
    expect(mrs(r.cores[0], 'ICC_IAR1_EL1')).toBe(1023n);
    expect(mrs(r.cores[2], 'ICC_IAR1_EL1')).toBe(33n);
    expect(dR(r.gic, 0x304) & 2).toBe(2); // active (and still pending: the line is high)
    r.m.uart.write(0x044, 4, 1 << 5); // ICR: clear TX
    msr(r.cores[2], 'ICC_EOIR1_EL1', 33);
    expect(dR(r.gic, 0x204) & 2).toBe(0);
    expect(dR(r.gic, 0x304) & 2).toBe(0);
    expect(r.gic.irqLine(2)).toBe(false);
  });
  it('IROUTER is readable as two 32-bit halves and moves the SPI between cores and clusters', () => {
    const r = setup(twoClusters());
    dW(r.gic, 0x084, 1 << 1); dW(r.gic, 0x104, 1 << 1);
    r.gic.setSpi(33, true);
    expect(r.gic.irqLine(0)).toBe(true); // IROUTER resets to 0.0.0.0 = core 0
    dW(r.gic, 0x6000 + 33 * 8, 0x0103); // Aff1 = 1, Aff0 = 3 -> core 7
    dW(r.gic, 0x6000 + 33 * 8 + 4, 0);
    expect(dR(r.gic, 0x6000 + 33 * 8)).toBe(0x0103);
    expect(r.cores.map((_, k) => r.gic.irqLine(k))).toEqual([false, false, false, false, false, false, false, true]);
    dW(r.gic, 0x6000 + 33 * 8 + 4, 1); // Aff3 = 1: no such core
    expect(dR(r.gic, 0x6000 + 33 * 8 + 4)).toBe(1);
    expect(r.cores.some((_, k) => r.gic.irqLine(k))).toBe(false);
  });
  it('IRM = 1 picks the lowest-numbered awake core that enables the group', () => {
    const r = rig(oneCluster(4));
    dW(r.gic, 0, 2);
    dW(r.gic, 0x084, 1 << 1); dW(r.gic, 0x104, 1 << 1);
    dW(r.gic, 0x6000 + 33 * 8, 0x8000_0000); // IRM
    for (const k of [1, 3]) { msr(r.cores[k], 'ICC_PMR_EL1', 0xff); msr(r.cores[k], 'ICC_IGRPEN1_EL1', 1); }
    r.gic.setSpi(33, true);
    expect([0, 1, 2, 3].map((k) => r.gic.irqLine(k))).toEqual([false, false, false, false]); // all asleep
    rW(r.gic, 3, 0x14, 0);
    expect([0, 1, 2, 3].map((k) => r.gic.irqLine(k))).toEqual([false, false, false, true]);
    rW(r.gic, 1, 0x14, 0);
    expect([0, 1, 2, 3].map((k) => r.gic.irqLine(k))).toEqual([false, true, false, false]);
    rW(r.gic, 0, 0x14, 0); // awake, but core 0 does not enable group 1
    expect(r.gic.irqLine(1)).toBe(true);
    msr(r.cores[1], 'ICC_IGRPEN1_EL1', 0);
    expect([0, 1, 2, 3].map((k) => r.gic.irqLine(k))).toEqual([false, false, false, true]);
  });
  it('edge-configured SPI (ICFGR) latches; distributor registers for INTIDs < 32 are RAZ/WI', () => {
    const r = setup(oneCluster(1));
    dW(r.gic, 0x084, 1 << 2); dW(r.gic, 0x104, 1 << 2);
    dW(r.gic, 0xc08, 2 << 4); // ICFGR2 covers 32..47: INTID 34 edge
    expect(dR(r.gic, 0xc08)).toBe(2 << 4);
    r.gic.setSpi(34, true); r.gic.setSpi(34, false);
    expect(dR(r.gic, 0x204)).toBe(1 << 2);
    dW(r.gic, 0x080, 0xffffffff);
    dW(r.gic, 0x100, 0xffffffff);
    expect(dR(r.gic, 0x080)).toBe(0);
    expect(dR(r.gic, 0x100)).toBe(0);
    expect(rR(r.gic, 0, SGI + 0x80)).toBe(0xffffffff); // the redistributor's copy is untouched
  });
});

describe('delivery to the core', () => {
  it('takeInterrupt honours PSTATE.I and enters the IRQ vector at the current EL', () => {
    const r = setup(oneCluster(1));
    const c = r.cores[0];
    c.pcLo = RAM_BASE + 0x100; c.pcHi = 0;
    msr(c, 'VBAR_EL1', RAM_BASE + 0x800);
    rW(r.gic, 0, SGI + 0x200, 1);
    c.daif = 0xf;
    expect(takeInterrupt(c)).toBe(false);
    c.daif = 0xd; // I clear, F set
    expect(takeInterrupt(c)).toBe(true);
    expect(c.pcLo >>> 0).toBe(RAM_BASE + 0x800 + 0x200 + 0x80); // current EL with SP_ELx, IRQ
    expect(mrs(c, 'ELR_EL1')).toBe(BigInt(RAM_BASE + 0x100));
    expect(c.daif).toBe(0xf);
    expect(c.flow).toBe(0);
  });
  it('an interrupt routed to EL1 is not taken at EL2; FIQ goes to the FIQ vector from EL0', () => {
    const r = setup(oneCluster(1));
    const c = r.cores[0];
    rW(r.gic, 0, SGI + 0x80, 0xfffffffe); // SGI 0 group 0
    rW(r.gic, 0, SGI + 0x200, 1);
    expect(r.gic.fiqLine(0)).toBe(true);
    msr(c, 'VBAR_EL1', RAM_BASE);
    c.hasEl2 = true;
    c.selectSp(2, 1);
    c.daif = 0;
    expect(takeInterrupt(c)).toBe(false);
    c.selectSp(0, 0);
    c.daif = 0xf; // from EL0 to EL1, PSTATE.F still masks (EL0 may set it when SCTLR_EL1.UMA = 1)
    expect(takeInterrupt(c)).toBe(false);
    c.daif = 0x2; // I masked, F clear: the FIQ is taken
    expect(takeInterrupt(c)).toBe(true);
    expect(c.el).toBe(1);
    expect(c.pcLo >>> 0).toBe(RAM_BASE + 0x400 + 0x100); // lower EL AArch64, FIQ
  });
  it('MRS/MSR instructions reach the hooks (acknowledge through a real MRS)', () => {
    const r = setup(oneCluster(1));
    const c = r.cores[0];
    // mrs x3, ICC_IAR1_EL1 ; msr ICC_EOIR1_EL1, x3  (op0 = 3: MRS 0xd5380000, MSR 0xd5180000,
    // | op1<<16 | CRn<<12 | CRm<<8 | op2<<5 | Rt)
    const mrsIar = 0xd5380000 | (0 << 16) | (12 << 12) | (12 << 8) | (0 << 5) | 3;
    const msrEoi = 0xd5180000 | (0 << 16) | (12 << 12) | (12 << 8) | (1 << 5) | 3;
    const code = new Uint8Array(8);
    new DataView(code.buffer).setUint32(0, mrsIar >>> 0, true);
    new DataView(code.buffer).setUint32(4, msrEoi >>> 0, true);
    r.m.ram.load(RAM_BASE, code);
    c.pcLo = RAM_BASE; c.pcHi = 0; c.sleep = 0;
    rW(r.gic, 0, SGI + 0x200, 1 << 11);
    c.run(1);
    expect(c.x[2 * 3]).toBe(11);
    expect(isactiver0(r, 0)).toBe(1 << 11);
    c.run(1);
    expect(isactiver0(r, 0)).toBe(0);
  });
  it('ICC_SGI1R_EL1 at EL1 traps to EL2 when HCR_EL2.IMO is set (EC 0x18, Rt in the ISS)', () => {
    const r = setup(oneCluster(2));
    const c = r.cores[0];
    c.hasEl2 = true;
    c.selectSp(2, 1);
    msr(c, 'HCR_EL2', 1 << 4);
    msr(c, 'VBAR_EL2', RAM_BASE + 0x1000);
    c.selectSp(1, 1);
    const msrSgi = 0xd5180000 | (12 << 12) | (11 << 8) | (5 << 5) | 7; // msr ICC_SGI1R_EL1, x7
    const code = new Uint8Array(4);
    new DataView(code.buffer).setUint32(0, msrSgi >>> 0, true);
    r.m.ram.load(RAM_BASE, code);
    c.pcLo = RAM_BASE; c.pcHi = 0; c.sleep = 0;
    c.x[2 * 7] = Number(sgi1r({ intid: 1, targets: 2 }));
    c.run(1);
    expect(c.el).toBe(2);
    const esr = mrs32(c, 'ESR_EL2');
    expect(esr >>> 26).toBe(0x18);
    expect((esr >>> 5) & 31).toBe(7); // Rt
    expect(esr & 1).toBe(0); // a write
    expect(((esr >>> 20) & 3) | (((esr >>> 14) & 7) << 2)).toBe(3); // op0 = 3, op1 = 0
    expect(ispendr0(r, 1)).toBe(0);
    expect(mrs(c, 'ELR_EL2')).toBe(BigInt(RAM_BASE));
  });
  it('without a GIC the ICC registers are UNDEFINED', () => {
    const r = rig(oneCluster(1));
    const c = r.cores[0];
    c.gicc = null;
    let thrown: unknown;
    try { c.sys.read(c, key('ICC_IAR1_EL1')); } catch (e) { thrown = e; }
    expect(thrown).toBe(INSN_ABORTED);
    expect(mrs32(c, 'ESR_EL1') >>> 26).toBe(0); // Unknown reason
  });
  it('CPU interface reset clears PMR, enables and active priorities but not the redistributor', () => {
    const r = setup(oneCluster(1));
    const c = r.cores[0];
    rW(r.gic, 0, SGI + 0x200, 1);
    expect(mrs(c, 'ICC_IAR1_EL1')).toBe(0n);
    r.gic.cpus[0].reset();
    expect(mrs(c, 'ICC_PMR_EL1')).toBe(0n);
    expect(mrs(c, 'ICC_IGRPEN1_EL1')).toBe(0n);
    expect(mrs(c, 'ICC_RPR_EL1')).toBe(0xffn);
    expect(isactiver0(r, 0)).toBe(1);
    expect(rR(r.gic, 0, SGI + 0x100)).toBe(0xffffffff);
  });
});
