// Exclusive monitors (Arm ARM B2.9). Each core has a local monitor; the global monitor tracks, per core,
// the granule it has marked. Any store by any core to a granule another core has marked clears that
// core's reservation, and clearing a core's global monitor generates an event for it (WFE wake-up).
// The granule is 2^ERG words; CTR_EL0.ERG = 4 here, i.e. 64 bytes, as on Cortex-A57.

export const ERG_LOG2_WORDS = 4;
export const GRANULE_SHIFT = ERG_LOG2_WORDS + 2;

export class GlobalMonitor {
  /** Marked granule (physical address >> GRANULE_SHIFT) per core, -1 when open. */
  readonly granule: Float64Array;
  /** Number of cores with a mark, so stores skip the scan when nobody holds one. */
  active = 0;
  /** Called when a store by `byCore` clears `core`'s reservation (events, trace, statistics). */
  onClear: (core: number, byCore: number, pa: number) => void = () => {};

  constructor(ncores: number) {
    this.granule = new Float64Array(ncores).fill(-1);
  }

  mark(core: number, pa: number): void {
    if (this.granule[core] < 0) this.active++;
    this.granule[core] = Math.floor(pa / (1 << GRANULE_SHIFT));
  }

  clear(core: number): void {
    if (this.granule[core] >= 0) { this.granule[core] = -1; this.active--; }
  }

  isMarked(core: number, pa: number): boolean {
    return this.granule[core] === Math.floor(pa / (1 << GRANULE_SHIFT));
  }

  /** A store of size bytes at pa by core `byCore`: clear every other core's mark on those granules. */
  store(pa: number, size: number, byCore: number): void {
    const g0 = Math.floor(pa / (1 << GRANULE_SHIFT));
    const g1 = Math.floor((pa + size - 1) / (1 << GRANULE_SHIFT));
    const gr = this.granule;
    for (let k = 0; k < gr.length; k++) {
      const g = gr[k];
      if (k !== byCore && g >= g0 && g <= g1) {
        gr[k] = -1;
        this.active--;
        this.onClear(k, byCore, pa);
      }
    }
  }
}
