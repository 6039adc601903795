// Oracle family fp_sysreg: MRS/MSR of FPCR and FPSR. MSR writes random values (so the writable bits of
// both registers are checked against QEMU: the driver reads them back from the signal frame); MRS reads
// the seed's values.

import type { Family, Gen } from '../catalogue.js';
import { M64, RT } from '../shape.js';

const msrValue: Gen = (b, w) => {
  const g = b.g, t = RT(w);
  if (t === 31) return [w];
  const k = g.below(4);
  const v = k === 0 ? M64 : k === 1 ? 1n << BigInt(g.below(64)) : k === 2 ? BigInt(g.next()) : g.u64();
  b.set(t, v);
  return [w];
};

export const FP_SYSREG: Family = {
  cls: 'fp_sysreg',
  count: 1000,
  entries: [
    { name: 'MSR_FPCR', pattern: '1101010100 0 1 1 011 0100 0100 000 ttttt', gen: msrValue, weight: 3 },
    { name: 'MSR_FPSR', pattern: '1101010100 0 1 1 011 0100 0100 001 ttttt', gen: msrValue, weight: 3 },
    { name: 'MRS_FPCR', pattern: '1101010100 1 1 1 011 0100 0100 000 ttttt' },
    { name: 'MRS_FPSR', pattern: '1101010100 1 1 1 011 0100 0100 001 ttttt' },
  ],
};
