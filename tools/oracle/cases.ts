// Random cases: an instruction word (or a short sequence), a state seed, and the register overrides that
// make its operands meaningful (addresses into scratch, branch targets into the code window, compare
// values that succeed). Everything is drawn from a seeded Rng, so a seed always gives the same cases.

import { Rng } from './rng.js';
import { CATALOGUE, CatEntry, Cls, classify, probeExcluded, withSboBits } from './catalogue.js';
import { EDGE_VALUES } from './state.js';
import { MAX_WORDS, SCRATCH, SCRATCH_SIZE, TEST_PC, UNMAPPED, WINDOW, WINDOW_SIZE } from './layout.js';
import { Builder, fpOperands, M64, otherReg, pickEA, RN, RS, RT, RT2, setBase, field, setField, u64 } from './shape.js';

export interface Case {
  /** Catalogue entry name (probes: probe_<space>). */
  name: string;
  cls: Cls;
  seed: number;
  words: number[];
  /** State slot (layout.ts: 0-30 X, 31 SP, 32 NZCV, 33 TPIDR_EL0, V halves, FPCR, FPSR) -> value,
   * applied over the seed's state. */
  overrides: Map<number, bigint>;
}


function randomFill(g: Rng, e: CatEntry): number {
  return ((g.next() & ~e.mask) | e.value) >>> 0;
}

/** Target address for a branch into the code window, never the instruction itself. */
function windowTarget(g: Rng, nearby: boolean): number {
  for (;;) {
    const t = nearby ? TEST_PC + 4 * g.range(-8, 8) : WINDOW + 4 * g.below(WINDOW_SIZE / 4);
    if (t !== TEST_PC) return t;
  }
}

const SMALL_EDGES: readonly bigint[] = [...EDGE_VALUES, 0xffffffff_80000000n, 0x80000000_00000000n];

/** Operand bias for data processing: sometimes give Rn/Rm/Ra values that meet at the edges
 * (INT_MIN / -1, shifts by the width, equal operands). */
function biasOperands(b: Builder, w: number): void {
  const g = b.g;
  if (!g.chance(0.35)) return;
  const rn = RN(w), rm = RS(w), ra = RT2(w);
  const pick = (): bigint => g.pick(SMALL_EDGES);
  switch (g.below(4)) {
    case 0: // INT_MIN / -1 and friends
      if (rn !== 31) b.set(rn, g.chance(0.5) ? 0x8000000000000000n : 0x80000000n);
      if (rm !== 31) b.set(rm, g.chance(0.5) ? M64 : 0xffffffffn);
      break;
    case 1:
      if (rn !== 31) b.set(rn, pick());
      if (rm !== 31) b.set(rm, pick());
      if (ra !== 31) b.set(ra, pick());
      break;
    case 2: // equal or adjacent operands (compares, conditional selects, CCMP)
      if (rn !== 31 && rm !== 31) {
        const v = pick();
        b.set(rn, v);
        b.set(rm, u64(v + BigInt(g.range(-1, 1))));
      }
      break;
    default:
      if (rm !== 31) b.set(rm, BigInt(g.pick([0, 1, 31, 32, 33, 63, 64, 65, 127, 128, 255])));
  }
}

function nzcvBias(b: Builder): void {
  // Flag values are random per seed already; nothing extra is needed.
  void b;
}

/** Build the case for an entry from a word that classify() maps to it. null = try again. */
function shape(b: Builder, e: CatEntry, w0: number): number[] | null {
  const g = b.g;
  let w = w0;
  switch (e.kind) {
    case 'alu': {
      // HLT #0xf000 is semihosting, which qemu-user always enables: not comparable.
      if (e.name === 'HLT' && field(w, 5, 16) === 0xf000) w = setField(w, 5, 16, 0xf001);
      biasOperands(b, w);
      nzcvBias(b);
      return [w];
    }
    case 'probe':
      return [w];
    case 'fp':
      return e.gen !== undefined ? e.gen(b, w) : fpOperands(b, w);
    case 'b26': case 'b19': case 'b14': {
      const [shift, width] = e.kind === 'b26' ? [0, 26] : e.kind === 'b19' ? [5, 19] : [5, 14];
      const t = windowTarget(g, g.chance(0.6));
      w = setField(w, shift, width, (t - TEST_PC) / 4);
      if (e.kind !== 'b26') {
        const rt = RT(w);
        if (rt !== 31 && g.chance(0.4)) {
          // CBZ/TBZ: make the tested register zero / the tested bit interesting.
          if (e.kind === 'b19') b.set(rt, g.chance(0.5) ? 0n : g.pick([0x1_0000_0000n, 1n, 0xffffffff_00000000n]));
          else b.set(rt, g.chance(0.5) ? 0n : M64 ^ (1n << BigInt((field(w, 31, 1) << 5) | field(w, 19, 5))));
        }
      }
      return [w];
    }
    case 'breg': {
      const rn = RN(w);
      if (rn === 31) return [w]; // BR XZR: a fetch fault at address 0
      const k = g.below(100);
      let t: bigint;
      if (k < 88) t = BigInt(windowTarget(g, g.chance(0.5)));
      else if (k < 94) t = BigInt(windowTarget(g, true) + g.range(1, 3)); // PC alignment fault
      else t = BigInt(UNMAPPED + 4 * g.below(1024)); // instruction abort
      b.set(rn, t);
      return [w];
    }
    case 'lit': {
      const ea = SCRATCH + 4 * g.below((SCRATCH_SIZE - 8) / 4 + 1);
      return [setField(w, 5, 19, (ea - TEST_PC) / 4)];
    }
    case 'uoff': case 'imm9': case 'reg': {
      const size = field(w, 30, 2);
      const bytes = 1 << size;
      const rn = RN(w), rt = RT(w);
      const prfm = e.name.startsWith('PRFM');
      if (e.kind === 'uoff') {
        // Small offsets are as interesting as large ones: shrink the immediate half of the time.
        if (g.chance(0.5)) w = setField(w, 10, 12, g.below(g.chance(0.5) ? 16 : 512));
        const off = BigInt(field(w, 10, 12) << size);
        setBase(b, rn, pickEA(g, bytes, bytes, 'free', !prfm), off, bytes);
        return [w];
      }
      if (e.kind === 'imm9') {
        const mode = field(w, 10, 2); // 00 unscaled, 01 post, 10 unprivileged, 11 pre
        const imm = (field(w, 12, 9) << 23) >> 23;
        const wb = mode === 1 || mode === 3;
        if (wb && rn === rt && rn !== 31) w = setField(w, 0, 5, otherReg(g, [rn]));
        const off = mode === 1 ? 0n : BigInt(imm);
        setBase(b, rn, pickEA(g, bytes, bytes, 'free', !prfm), off, bytes);
        return [w];
      }
      // Register offset: option 010 UXTW, 011 LSL, 110 SXTW, 111 SXTX; others are UNDEFINED.
      const opt = field(w, 13, 3);
      if ((opt & 2) === 0) return g.chance(0.1) ? [w] : null;
      const amount = field(w, 12, 1) ? size : 0;
      const rm = RS(w);
      const ea = pickEA(g, bytes, bytes, 'free', !prfm);
      if (rm === 31) { setBase(b, rn, ea, 0n, bytes); return [w]; }
      if (rm === rn) {
        // One register is both base and index: v + (ext(v) << amount) = ea, v < 2^31 so every extend agrees.
        const k = 1 + (1 << amount);
        const v = Math.floor(ea / k);
        const got = v * k;
        if (got < SCRATCH || got + bytes > SCRATCH + SCRATCH_SIZE) return null;
        b.set(rn, BigInt(v));
        return [w];
      }
      const small = g.chance(0.5) ? g.range(-64, 64) : g.range(-0x800, 0x800);
      let index: bigint;
      let ext: bigint;
      if (opt === 2) { // UXTW: the upper half of Wm is ignored
        const lo = small < 0 ? -small : small;
        index = (u64(g.next()) << 32n) | BigInt(lo);
        ext = BigInt(lo);
      } else if (opt === 6) { // SXTW
        index = (u64(g.next()) << 32n) | BigInt(small >>> 0);
        ext = BigInt(small);
      } else {
        index = u64(small);
        ext = BigInt(small);
      }
      b.set(rm, index);
      setBase(b, rn, ea, ext << BigInt(amount), bytes);
      return [w];
    }
    case 'pair': {
      const opc = field(w, 30, 2);
      const scale = opc === 2 ? 8 : 4;
      const mode = field(w, 23, 2); // 00 no-allocate, 01 post, 10 offset, 11 pre
      const load = field(w, 22, 1) === 1;
      let rt = RT(w), rt2 = RT2(w);
      const rn = RN(w);
      if (load && rt === rt2) { rt2 = otherReg(g, [rt]); w = setField(w, 10, 5, rt2); }
      if ((mode === 1 || mode === 3) && rn !== 31) {
        if (rt === rn) { rt = otherReg(g, [rn, rt2]); w = setField(w, 0, 5, rt); }
        if (rt2 === rn) { rt2 = otherReg(g, [rn, rt]); w = setField(w, 10, 5, rt2); }
      }
      if (g.chance(0.5)) w = setField(w, 15, 7, g.range(-8, 8));
      const imm = (field(w, 15, 7) << 25) >> 25;
      const off = mode === 1 ? 0n : BigInt(imm * scale);
      setBase(b, rn, pickEA(g, 2 * scale, scale, 'free'), off, 2 * scale);
      return [w];
    }
    case 'ex': {
      const size = field(w, 30, 2);
      const bytes = 1 << size;
      const rn = RN(w), rt = RT(w), rs = RS(w);
      const store = e.name.startsWith('STXR') || e.name.startsWith('STLXR');
      if (store) {
        if (rs === rt || (rs === rn && rn !== 31)) w = setField(w, 16, 5, otherReg(g, [rt, rn]));
      }
      // A store-exclusive with the monitor open: QEMU fails it without checking alignment (the Arm ARM
      // checks alignment first) or translation (IMPLEMENTATION DEFINED order), so only aligned,
      // mapped addresses compare. QEMU 7.2 does not check LDAPR's alignment either.
      const ea = store ? pickEA(g, bytes, bytes, 'aligned', false)
        : pickEA(g, bytes, bytes, e.name.startsWith('LDAPR') ? 'aligned' : 'strict');
      setBase(b, rn, ea, 0n, bytes);
      return [w];
    }
    case 'exp': {
      const sf = field(w, 30, 1);
      const esz = sf ? 8 : 4;
      const rn = RN(w);
      let rt = RT(w), rt2 = RT2(w);
      const load = field(w, 22, 1) === 1;
      if (load && rt === rt2) { rt2 = otherReg(g, [rt]); w = setField(w, 10, 5, rt2); }
      if (!load) {
        const rs = RS(w);
        if (rs === rt || rs === rt2 || (rs === rn && rn !== 31)) w = setField(w, 16, 5, otherReg(g, [rt, rt2, rn]));
      }
      void rt;
      setBase(b, rn, load ? pickEA(g, 2 * esz, 2 * esz, 'strict') : pickEA(g, 2 * esz, 2 * esz, 'aligned', false), 0n, 2 * esz);
      return [w];
    }
    case 'ex2': {
      // LDXR-family then STXR-family on the same address and size (succeeds), sometimes with CLREX
      // between them (fails). Loads must not overwrite the base; the status register must differ from
      // the stored registers and the base.
      const pair = e.name.startsWith('LDXP');
      const rn = g.chance(0.15) ? 31 : g.below(31);
      const avoidN = rn === 31 ? [] : [rn];
      const lt = otherReg(g, avoidN);
      const lt2 = pair ? otherReg(g, [...avoidN, lt]) : 31;
      const st = g.chance(0.7) ? lt : g.below(32);
      const st2 = pair ? (g.chance(0.7) ? lt2 : g.below(32)) : 31;
      const rs = g.chance(0.05) && st !== 31 && st2 !== 31 ? 31 : otherReg(g, [...avoidN, st, st2]);
      const acqLoad = field(w, 15, 1);
      const relStore = g.below(2);
      let ld: number, stw: number, bytes: number;
      if (pair) {
        const sf = field(w, 30, 1);
        bytes = sf ? 16 : 8;
        ld = (0x88600000 | (sf << 30) | (acqLoad << 15) | (0x1f << 16) | (lt2 << 10) | (rn << 5) | lt) >>> 0;
        stw = (0x88200000 | (sf << 30) | (relStore << 15) | (rs << 16) | (st2 << 10) | (rn << 5) | st) >>> 0;
      } else {
        const size = field(w, 30, 2);
        bytes = 1 << size;
        ld = (0x085f7c00 | (size << 30) | (acqLoad << 15) | (rn << 5) | lt) >>> 0;
        stw = (0x08007c00 | (size << 30) | (relStore << 15) | (rs << 16) | (rn << 5) | st) >>> 0;
      }
      setBase(b, rn, pickEA(g, bytes, bytes, 'aligned', false), 0n, bytes);
      if (g.chance(0.15)) return [ld, 0xd503305f /* clrex */, stw];
      return [ld, stw];
    }
    case 'cas': case 'casp': case 'atomic': {
      const rn = RN(w);
      let rs = RS(w), rt = RT(w);
      let esz: number, bytes: number;
      if (e.kind === 'casp') {
        if (g.chance(0.9)) {
          rs &= ~1; rt &= ~1;
          w = setField(setField(w, 16, 5, rs), 0, 5, rt);
        }
        esz = field(w, 30, 1) ? 8 : 4;
        bytes = 2 * esz;
      } else {
        esz = 1 << field(w, 30, 2);
        bytes = esz;
      }
      const ea = pickEA(g, bytes, bytes, 'strict');
      const inScratch = ea >= SCRATCH && ea < SCRATCH + SCRATCH_SIZE;
      if (e.kind !== 'atomic' && inScratch && g.chance(0.5)) {
        // Make the comparison succeed; random upper bits check that only the low esz bytes compare.
        const off = ea - SCRATCH;
        const hiBits = esz < 8 && g.chance(0.5) ? (u64(g.next()) << BigInt(8 * esz)) & M64 : 0n;
        if (rs !== 31) b.set(rs, b.mem(off, esz) | hiBits);
        if (e.kind === 'casp' && rs + 1 !== 31 && rs < 31) b.set(rs + 1, b.mem(off + esz, esz));
      } else if (e.kind === 'atomic' && inScratch && rs !== 31 && g.chance(0.3)) {
        const off = ea - SCRATCH;
        b.set(rs, u64(b.mem(off, esz) + BigInt(g.range(-1, 1))));
      }
      void rt;
      setBase(b, rn, ea, 0n, bytes);
      return [w];
    }
    case 'dc': {
      const rt = RT(w);
      const zva = e.name === 'DC_ZVA';
      if (rt === 31) return zva ? null : [w];
      b.set(rt, BigInt(pickEA(g, 1, 1, 'free', zva)));
      return [w];
    }
  }
}

/** One case from a catalogue entry, or null when no acceptable word came out. */
export function caseFromEntry(g: Rng, e: CatEntry, cls: Cls = e.cls): Case | null {
  for (let attempt = 0; attempt < 64; attempt++) {
    const w = randomFill(g, e);
    if (!e.sequence && classify(w) !== e) continue;
    const c = caseFromWord(g, w, cls, e);
    if (c !== null) return c;
  }
  return null;
}

/** A case for a given word: the entry it classifies as shapes the operands; excluded words give null. */
export function caseFromWord(g: Rng, w: number, cls: Cls, e: CatEntry | undefined = classify(w)): Case | null {
  if (e !== undefined && e.excluded) return null;
  if (e === undefined && probeExcluded(w)) return null;
  const seed = g.next();
  const b = new Builder(g, seed);
  const words = e === undefined ? [w >>> 0] : shape(b, e, w);
  if (words === null) return null;
  if (words.length > MAX_WORDS) throw new Error('oracle: too many words');
  return { name: e === undefined ? probeName(w) : e.name, cls, seed, words, overrides: b.ov };
}

export function probeName(w: number): string {
  const op0 = (w >>> 25) & 0xf;
  if ((op0 & 0b1110) === 0b1000) return 'probe_dp_imm';
  if ((op0 & 0b1110) === 0b1010) return 'probe_branch_sys';
  if ((op0 & 0b0101) === 0b0100) return 'probe_ldst';
  if ((op0 & 0b0111) === 0b0101) return 'probe_dp_reg';
  if (op0 === 0b0010) return 'probe_sve';
  return 'probe_unallocated';
}

/** A word outside the catalogue (so UNDEFINED in the ISA under test), from the integer spaces. Half
 * are uniform random words, half are catalogue encodings with one or two fixed bits flipped. */
export function probeWord(g: Rng): number {
  const live = CATALOGUE.filter((e) => !e.excluded);
  for (;;) {
    let w: number;
    if (g.chance(0.5)) {
      w = g.next();
    } else {
      const e = g.pick(live);
      w = randomFill(g, e);
      const fixed: number[] = [];
      for (let k = 0; k < 32; k++) if ((e.mask >>> k) & 1) fixed.push(k);
      const flips = g.chance(0.7) ? 1 : 2;
      for (let k = 0; k < flips; k++) w ^= 1 << g.pick(fixed);
      w >>>= 0;
    }
    if (probeExcluded(w) || classify(w) !== undefined) continue;
    return w;
  }
}

/** Entries of a class, each repeated by its weight, in catalogue order. */
export function classEntries(cls: Cls): CatEntry[] {
  const out: CatEntry[] = [];
  for (const e of CATALOGUE) if (e.cls === cls && !e.excluded) for (let k = 0; k < e.weight; k++) out.push(e);
  return out;
}

/** `count` cases of a class. Entries take turns (weighted), so every entry gets its share. */
export function generateClass(cls: Cls, seed: number, count: number): Case[] {
  const g = new Rng(seed, classStream(cls));
  const out: Case[] = [];
  if (cls === 'undef') {
    while (out.length < count) {
      const c = caseFromWord(g, probeWord(g), 'undef', undefined);
      if (c !== null) out.push(c);
    }
    return out;
  }
  const entries = classEntries(cls);
  if (entries.length === 0) return out;
  for (let k = 0; out.length < count; k++) {
    const c = caseFromEntry(g, entries[k % entries.length]);
    if (c !== null) out.push(c);
    if (k > count * 4 + 1000) throw new Error(`oracle: class ${cls} produces too few cases`);
  }
  return out;
}

/** Cases drawn from the emulator's own decode table rows (random field values). A word whose
 * catalogue entry is excluded is redrawn; rows that only ever give excluded words get no cases. */
export function generateFromRows(rows: readonly { name: string; mask: number; value: number }[], seed: number, perRow: number): Case[] {
  const g = new Rng(seed, classStream('table'));
  const out: Case[] = [];
  for (const row of rows) {
    let made = 0;
    for (let attempt = 0; made < perRow && attempt < perRow * 20; attempt++) {
      // Fields the row leaves free but the architecture wants all-ones are set (SBO).
      const w = withSboBits(((g.next() & ~row.mask) | row.value) >>> 0);
      if (((w & row.mask) >>> 0) !== row.value) continue;
      const c = caseFromWord(g, w, 'table');
      if (c !== null) { out.push(c); made++; }
    }
  }
  return out;
}

export function classStream(cls: Cls): number {
  let h = 0;
  for (let k = 0; k < cls.length; k++) h = (Math.imul(h, 31) + cls.charCodeAt(k)) | 0;
  return h >>> 0;
}

export { TEST_PC };
