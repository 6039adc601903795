// EL2 on the board (--el2): what a64emu does not model must stop the run with a clear message
// rather than run on wrongly. Stage 2 translation is the case: a hypervisor that sets HCR_EL2.VM to
// run a guest (a KVM guest) would otherwise have the guest's IPAs used as physical addresses.

import { describe, it, expect } from 'vitest';
import { Machine } from '../../emu/board/machine.js';
import { CODE, wordBytes } from '../harness.js';

const MSR_HCR_EL2_X0 = 0xd51c1100; // msr hcr_el2, x0
const B_SELF = 0x14000000; // b .

function atEl2(x0: number) {
  const m = new Machine({ smp: 1, ramMiB: 16, startEl: 2, stdout: () => {}, stderr: () => {}, maxInsns: 1000 });
  const c = m.cores[0];
  m.ram.load(CODE, wordBytes([MSR_HCR_EL2_X0, B_SELF]));
  c.pcLo = CODE; c.pcHi = 0;
  c.x[2 * 0] = x0; c.x[2 * 0 + 1] = 0;
  return { m, c, r: m.run() };
}

describe('EL2', () => {
  it('stops a run that turns on stage 2 (HCR_EL2.VM), naming it', () => {
    const { r } = atEl2(1 | (1 << 31));
    expect(r.cause).toBe('fault');
    expect(r.reason).toMatch(/HCR_EL2\.VM = 1: stage 2 translation .* is not modelled/);
  });

  it('runs on when HCR_EL2 is written without VM (the host set-up KVM does)', () => {
    const { r, c } = atEl2((1 << 31) | (1 << 27));
    expect(r.cause).not.toBe('fault');
    expect(c.sys.hcrEl2Lo >>> 0).toBe(((1 << 31) | (1 << 27)) >>> 0);
  });
});
