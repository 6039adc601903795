// Case shaping shared by the AdvSIMD FP families: a fifth of the cases make the destination one of the
// sources (Rd = Rn, Rd = Rm, or all three equal), so handlers that build results in place (pairwise,
// narrowing into the upper half, by element) are checked against QEMU with overlapping registers.
// Otherwise the default operands (fpOperands: the seed's values, a quarter of the time Vm = Vn).

import type { Gen } from '../catalogue.js';
import { RN, RS, fpOperands, setField } from '../shape.js';

export function aliased(hasRm: boolean): Gen {
  return (b, w) => {
    if (b.g.chance(0.2)) {
      const k = hasRm ? b.g.below(3) : 0;
      if (k === 0) w = setField(w, 0, 5, RN(w));
      else if (k === 1) w = setField(w, 0, 5, RS(w));
      else { w = setField(w, 16, 5, RN(w)); w = setField(w, 0, 5, RN(w)); }
    }
    return fpOperands(b, w);
  };
}
