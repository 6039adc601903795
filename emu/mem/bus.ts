// The physical address space: RAM plus a list of memory-mapped device regions. Cores reach RAM through
// their own fast path; everything else comes here. Accesses of 8 bytes to devices are split into two
// 4-byte accesses, low word first, as the GIC and PL011 expect of 64-bit accesses.

import { Ram } from './ram.js';

export interface MmioDevice {
  readonly name: string;
  /** Read size (1, 2 or 4) bytes at offset within the region; returns the value zero-extended. */
  read(offset: number, size: number, core: number): number;
  write(offset: number, size: number, value: number, core: number): void;
  /** Side-effect-free read for debuggers and trace tools. */
  peek?(offset: number, size: number): number;
}

export interface Region { base: number; size: number; dev: MmioDevice }

export class Bus {
  readonly regions: Region[] = [];

  constructor(readonly ram: Ram) {}

  map(base: number, size: number, dev: MmioDevice): void {
    for (const r of this.regions) {
      if (base < r.base + r.size && r.base < base + size) {
        throw new Error(`bus: ${dev.name} at 0x${base.toString(16)} overlaps ${r.dev.name}`);
      }
    }
    this.regions.push({ base, size, dev });
    this.regions.sort((a, b) => a.base - b.base);
  }

  find(pa: number): Region | undefined {
    for (const r of this.regions) if (pa >= r.base && pa < r.base + r.size) return r;
    return undefined;
  }
}
