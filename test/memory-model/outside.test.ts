// Accesses outside the modelled memory (MMIO, system registers) under --memory-model arm. They go
// straight to the device, but they are still accesses in program order: a barrier after one orders
// the core's later reads after it. The shape is MP+dsb+dmb with the flag in a device: the writer
// stores x, completes it with a DSB, then writes a device register (or sends an SGI); the reader
// polls that register (or acknowledges the SGI: ICC_IAR1_EL1), then DMB/DSB, then reads x. Seeing
// the flag but the old x is forbidden (the DSB made x's write complete, i.e. visible to every
// observer, before the device write happened; the reader's barrier orders its read of x after its
// read of the device). Without the fix, the model gave the device read no place in the core's
// views, so the barrier did not order the read of x after it: the self-test's lost ICI kick
// (tlb_shootdown_global under --seed 1) reduces to the SGI form.

import { describe, it, expect } from 'vitest';
import { histogram, Litmus } from './harness.js';

const RUNS = 150;
// GICD_IPRIORITYR byte of SPI 32: a plain read/write device register both cores see.
const PRIO = 'mov x8, #0x08000000\n add x8, x8, #0x420';

describe('memory model: MMIO and system-register reads are ordered by barriers', () => {
  it('MP+dsb.sy+dmb.sy with the flag in a device register: the old x is never read', async () => {
    const t: Litmus = {
      threads: [
        `mov x0, #1\n str x0, [x1]\n dsb sy\n ${PRIO}\n mov w7, #0x80\n strb w7, [x8]`,
        `${PRIO}\n L1: ldrb w5, [x8]\n cbz w5, L1\n dmb sy\n ldr x6, [x1]`,
      ],
      observe: ['1:X5', '1:X6'],
    };
    const h = await histogram(t, 'arm', RUNS);
    expect(h.get('1:X5=128 1:X6=0') ?? 0, JSON.stringify([...h])).toBe(0);
    expect(h.get('1:X5=128 1:X6=1') ?? 0).toBe(RUNS);
  });

  it('SGI (ICC_SGI1R_EL1 after DSB) acknowledged through ICC_IAR1_EL1, then DSB: the old x is never read', async () => {
    // Core 1 enables SGI 0 in group 1 (redistributor SGI frame of core 1: GICR_IGROUPR0,
    // GICR_ISENABLER0), its CPU interface (PMR, IGRPEN1), and polls IAR with interrupts masked.
    const t: Litmus = {
      threads: [
        // wait until core 1 is ready (y = 1), then the message and the SGI to core 1 (TargetList bit 1)
        `L0: ldar x9, [x2]\n cbz x9, L0\n mov x0, #1\n str x0, [x1]\n dsb ishst\n mov x9, #2\n msr ICC_SGI1R_EL1, x9\n isb`,
        `mov x8, #0x08000000\n mov w9, #0x12\n str w9, [x8]\n` + // GICD_CTLR: ARE_NS | EnableGrp1NS
        `mov x8, #0x080c0000\n add x8, x8, #0x10000\n mov w9, #1\n str w9, [x8, #0x80]\n str w9, [x8, #0x100]\n` +
        `mov x9, #0xff\n msr ICC_PMR_EL1, x9\n mov x9, #1\n msr ICC_IGRPEN1_EL1, x9\n isb\n` +
        `mov x9, #1\n stlr x9, [x2]\n` +
        `L1: mrs x5, ICC_IAR1_EL1\n cmp x5, #1023\n b.eq L1\n dsb sy\n ldr x6, [x1]\n msr ICC_EOIR1_EL1, x5`,
      ],
      observe: ['1:X5', '1:X6'],
    };
    const h = await histogram(t, 'arm', RUNS);
    expect(h.get('1:X5=0 1:X6=0') ?? 0, JSON.stringify([...h])).toBe(0);
    expect(h.get('1:X5=0 1:X6=1') ?? 0, JSON.stringify([...h])).toBe(RUNS);
  });
});
