// The oracle's own list of A64 encodings: ARMv8.0-A base integer instructions plus ARMv8.1 LSE atomics
// and LDAPR (ARMv8.3 RCpc), written from the Arm ARM independently of the emulator's decode table. It
// says, for a word, which instruction it is, how its operands must be set up (the kind), which fixture
// class it belongs to, and whether it is excluded from oracle testing (it cannot be compared in Linux
// user mode: SVC, WFE/WFI/YIELD/SEV/SEVL, system registers and SYS operations other than those listed).
//
// Patterns are 32 characters MSB first (spaces ignored): '0'/'1' fixed, 'Y' a should-be-one bit (the
// Arm ARM's "(1)": generated as 1; other values are CONSTRAINED UNPREDICTABLE, so probes avoid them),
// any other character random.
// A word is classified by the matching entry with the most fixed bits.

//
// SIMD&FP classes are families (families/*.ts, listed in families/index.ts): each brings its fixture
// class name, its case count and its entries, every entry with an optional generator that shapes a
// random word of the pattern into a case (families/README in tools/oracle/README.md).

import type { Builder } from './shape.js';
import { FAMILIES } from './families/index.js';

/** A fixture class: the integer classes below, or a family's class (its fixture file's name). */
export type Cls = string;

/** The integer classes (cases.ts shapes their operands by kind). */
export const INT_CLASSES: readonly Cls[] = ['dp_imm', 'dp_reg', 'branch', 'exception', 'system', 'ldst', 'ldst_pair', 'excl', 'atomic', 'undef', 'table'];

export const FIXTURE_CLASSES: readonly Cls[] = [...INT_CLASSES, ...FAMILIES.map((f) => f.cls)];

/** Shapes a random word of an entry into a case: sets registers through the Builder (base addresses,
 * V register values) and returns the word(s), or null to draw another word. */
export type Gen = (b: Builder, w: number) => number[] | null;

/** A SIMD&FP family: one fixture class (test/fixtures/oracle/<cls>.bin.gz). */
export interface Family {
  cls: Cls;
  /** Cases at --scale 1. */
  count: number;
  /** The family's entries; patterns as in this file. No gen: registers as the seed gives them. */
  entries: { name: string; pattern: string; gen?: Gen; weight?: number; excluded?: boolean }[];
}

export type Kind =
  | 'alu'      // registers only (data processing, hints, barriers, system register moves, exceptions)
  | 'b26' | 'b19' | 'b14' // PC-relative branches: the offset is chosen to land in the code window
  | 'breg'     // BR/BLR/RET: the target register points into the code window
  | 'lit'      // load literal: the offset points into scratch
  | 'uoff'     // load/store, unsigned scaled 12-bit offset
  | 'imm9'     // load/store, 9-bit signed offset: unscaled, post-index, unprivileged, pre-index
  | 'reg'      // load/store, register offset with extend/shift
  | 'pair'     // load/store pair (incl. non-temporal and LDPSW)
  | 'ex'       // exclusive / acquire / release single register: address = Xn, aligned
  | 'exp'      // exclusive pair
  | 'ex2'      // LDXR-family followed by STXR-family on the same address (a 2- or 3-word case)
  | 'cas' | 'casp' | 'atomic'
  | 'dc'       // DC ZVA and cache maintenance by VA: Xt points into scratch
  | 'fp'       // a family entry: its gen shapes the case (or registers as the seed gives them)
  | 'probe';   // a word no entry matches: run with unconstrained registers

export interface CatEntry {
  name: string;
  cls: Cls;
  pattern: string;
  kind: Kind;
  mask: number;
  value: number;
  fixedBits: number;
  /** Never tested: words matching this entry are skipped. */
  excluded: boolean;
  /** Relative share of its class's cases (default 1). */
  weight: number;
  /** Only generated as a multi-instruction sequence; classify() never returns it. */
  sequence: boolean;
  /** Should-be-one bits (part of mask and value). */
  sbo: number;
  /** A family entry (SIMD&FP): recorded on QEMU's Cortex-A57 model. */
  fp: boolean;
  gen?: Gen;
}

function entry(name: string, cls: Cls, pattern: string, kind: Kind, opts: { excluded?: boolean; weight?: number } = {}): CatEntry {
  const p = pattern.replace(/\s/g, '');
  if (p.length !== 32) throw new Error(`oracle catalogue: ${name}: ${p.length} bits`);
  let mask = 0, value = 0, fixedBits = 0, sbo = 0;
  for (let i = 0; i < 32; i++) {
    const bit = 31 - i;
    if (p[i] === 'Y') sbo |= 1 << bit;
    if (p[i] === '0' || p[i] === '1' || p[i] === 'Y') {
      mask |= 1 << bit;
      if (p[i] !== '0') value |= 1 << bit;
      fixedBits++;
    }
  }
  return { name, cls, pattern: p, kind, mask: mask >>> 0, value: value >>> 0, fixedBits, excluded: opts.excluded ?? false, weight: opts.weight ?? 1, sequence: kind === 'ex2', sbo: sbo >>> 0, fp: kind === 'fp' };
}

function bits(v: number, n: number): string {
  return v.toString(2).padStart(n, '0');
}

function build(): CatEntry[] {
  const E: CatEntry[] = [];
  const add = (...a: Parameters<typeof entry>): void => { E.push(entry(...a)); };

  // ------------------------------------------------------------ data processing (immediate)
  add('ADR', 'dp_imm', '0ii10000 iiiiiiiiiiiiiiiiiii ddddd', 'alu');
  add('ADRP', 'dp_imm', '1ii10000 iiiiiiiiiiiiiiiiiii ddddd', 'alu');
  ['ADD', 'ADDS', 'SUB', 'SUBS'].forEach((n, k) =>
    add(`${n}_imm`, 'dp_imm', `z${bits(k, 2)}100010 h iiiiiiiiiiii nnnnn ddddd`, 'alu', { weight: 2 }));
  ['AND', 'ORR', 'EOR', 'ANDS'].forEach((n, k) =>
    add(`${n}_imm`, 'dp_imm', `z${bits(k, 2)}100100 N rrrrrr ssssss nnnnn ddddd`, 'alu', { weight: 2 }));
  ['MOVN', '', 'MOVZ', 'MOVK'].forEach((n, k) => {
    if (n) add(n, 'dp_imm', `z${bits(k, 2)}100101 hh iiiiiiiiiiiiiiii ddddd`, 'alu');
  });
  ['SBFM', 'BFM', 'UBFM'].forEach((n, k) =>
    add(n, 'dp_imm', `z${bits(k, 2)}100110 N rrrrrr ssssss nnnnn ddddd`, 'alu', { weight: 2 }));
  add('EXTR', 'dp_imm', 'z00100111 N 0 mmmmm ssssss nnnnn ddddd', 'alu');

  // ------------------------------------------------------------ branches, exceptions, system
  add('B', 'branch', '000101 iiiiiiiiiiiiiiiiiiiiiiiiii', 'b26');
  add('BL', 'branch', '100101 iiiiiiiiiiiiiiiiiiiiiiiiii', 'b26');
  add('B.cond', 'branch', '01010100 iiiiiiiiiiiiiiiiiii 0 cccc', 'b19', { weight: 2 });
  add('CBZ', 'branch', 'z0110100 iiiiiiiiiiiiiiiiiii ttttt', 'b19');
  add('CBNZ', 'branch', 'z0110101 iiiiiiiiiiiiiiiiiii ttttt', 'b19');
  add('TBZ', 'branch', 'b0110110 bbbbb iiiiiiiiiiiiii ttttt', 'b14');
  add('TBNZ', 'branch', 'b0110111 bbbbb iiiiiiiiiiiiii ttttt', 'b14');
  add('BR', 'branch', '1101011 0000 11111 000000 nnnnn 00000', 'breg');
  add('BLR', 'branch', '1101011 0001 11111 000000 nnnnn 00000', 'breg');
  add('RET', 'branch', '1101011 0010 11111 000000 nnnnn 00000', 'breg');

  add('ERET', 'exception', '1101011 0100 11111 000000 11111 00000', 'alu'); // UNDEFINED at EL0
  add('DRPS', 'exception', '1101011 0101 11111 000000 11111 00000', 'alu'); // UNDEFINED outside Debug state
  add('SVC', 'exception', '11010100 000 iiiiiiiiiiiiiiii 000 01', 'alu', { excluded: true });
  add('HVC', 'exception', '11010100 000 iiiiiiiiiiiiiiii 000 10', 'alu'); // UNDEFINED at EL0
  add('SMC', 'exception', '11010100 000 iiiiiiiiiiiiiiii 000 11', 'alu'); // UNDEFINED at EL0
  add('BRK', 'exception', '11010100 001 iiiiiiiiiiiiiiii 000 00', 'alu');
  add('HLT', 'exception', '11010100 010 iiiiiiiiiiiiiiii 000 00', 'alu'); // no semihosting in user mode: UNDEFINED
  add('DCPS1', 'exception', '11010100 101 iiiiiiiiiiiiiiii 000 01', 'alu');
  add('DCPS2', 'exception', '11010100 101 iiiiiiiiiiiiiiii 000 10', 'alu');
  add('DCPS3', 'exception', '11010100 101 iiiiiiiiiiiiiiii 000 11', 'alu');

  add('HINT', 'system', '11010101 00000011 0010 iiiiiii 11111', 'alu', { weight: 3 });
  add('NOP', 'system', '11010101 00000011 0010 0000000 11111', 'alu');
  for (const [n, k] of [['YIELD', 1], ['WFE', 2], ['WFI', 3], ['SEV', 4], ['SEVL', 5]] as const) {
    add(n, 'system', `11010101 00000011 0010 ${bits(k, 7)} 11111`, 'alu', { excluded: true });
  }
  add('CLREX', 'system', '11010101 00000011 0011 iiii 010 11111', 'alu');
  add('DSB', 'system', '11010101 00000011 0011 iiii 100 11111', 'alu');
  add('DMB', 'system', '11010101 00000011 0011 iiii 101 11111', 'alu');
  add('ISB', 'system', '11010101 00000011 0011 iiii 110 11111', 'alu');
  // MSR (immediate): SPSel is UNDEFINED at EL0; DAIFSet/DAIFClr trap at EL0 (SCTLR_EL1.UMA = 0 in Linux).
  add('MSR_imm_other', 'system', '1101010100000 ooo 0100 iiii ooo 11111', 'alu', { excluded: true });
  add('MSR_SPSel_imm', 'system', '1101010100000 000 0100 iiii 101 11111', 'alu');
  add('MSR_DAIFSet', 'system', '1101010100000 011 0100 iiii 110 11111', 'alu');
  add('MSR_DAIFClr', 'system', '1101010100000 011 0100 iiii 111 11111', 'alu');
  // System register moves and SYS/SYSL: excluded except the registers and operations listed below.
  add('SYS_other', 'system', '1101010100 L 01 ooooooooooooooooooo', 'alu', { excluded: true });
  add('MRS_MSR_other', 'system', '1101010100 L 1 o ooooooooooooooooooo', 'alu', { excluded: true });
  const sysregs: [string, number, number, number, number, number][] = [
    ['NZCV', 3, 3, 4, 2, 0], ['TPIDR_EL0', 3, 3, 13, 0, 2], ['TPIDRRO_EL0', 3, 3, 13, 0, 3],
    ['DAIF', 3, 3, 4, 2, 1], ['CurrentEL', 3, 0, 4, 2, 2], ['SPSel', 3, 0, 4, 2, 0], ['SP_EL0', 3, 0, 4, 1, 0],
    ['SCTLR_EL1', 3, 0, 1, 0, 0], ['VBAR_EL1', 3, 0, 12, 0, 0], ['TPIDR_EL1', 3, 0, 13, 0, 4],
    ['ELR_EL1', 3, 0, 4, 0, 1], ['SPSR_EL1', 3, 0, 4, 0, 0], ['ESR_EL1', 3, 0, 5, 2, 0],
  ];
  for (const [n, op0, op1, crn, crm, op2] of sysregs) {
    const enc = `${bits(op0 & 1, 1)} ${bits(op1, 3)} ${bits(crn, 4)} ${bits(crm, 4)} ${bits(op2, 3)}`;
    const w = n === 'NZCV' || n === 'TPIDR_EL0' ? 3 : 1;
    add(`MRS_${n}`, 'system', `1101010100 1 1 ${enc} ttttt`, 'alu', { weight: w });
    add(`MSR_${n}`, 'system', `1101010100 0 1 ${enc} ttttt`, 'alu', { weight: w });
  }
  // op1 CRn CRm op2 of the cache operations EL0 may use in Linux (SCTLR_EL1.UCI = DZE = 1).
  for (const [n, crm] of [['DC_ZVA', 4], ['DC_CVAU', 11], ['DC_CVAC', 10], ['DC_CIVAC', 14], ['IC_IVAU', 5]] as const) {
    add(n, 'system', `1101010100 0 01 011 0111 ${bits(crm, 4)} 001 ttttt`, 'dc', { weight: n === 'DC_ZVA' ? 3 : 1 });
  }

  // ------------------------------------------------------------ loads and stores
  // Single register: [size][opc] -> name (undefined combinations absent).
  const single: (string | null)[][] = [
    ['STRB', 'LDRB', 'LDRSB_x', 'LDRSB_w'],
    ['STRH', 'LDRH', 'LDRSH_x', 'LDRSH_w'],
    ['STR_w', 'LDR_w', 'LDRSW', null],
    ['STR_x', 'LDR_x', 'PRFM', null],
  ];
  for (let size = 0; size < 4; size++) {
    for (let opc = 0; opc < 4; opc++) {
      const n = single[size][opc];
      if (n === null) continue;
      const so = `${bits(size, 2)}111 0 01 ${bits(opc, 2)}`;
      add(`${n}_uoff`, 'ldst', `${so} iiiiiiiiiiii nnnnn ttttt`, 'uoff', { weight: 2 });
      const s0 = `${bits(size, 2)}111 0 00 ${bits(opc, 2)}`;
      add(`${n}_reg`, 'ldst', `${s0} 1 mmmmm xxx S 10 nnnnn ttttt`, 'reg', { weight: 2 });
      add(`${n}_unscaled`, 'ldst', `${s0} 0 iiiiiiiii 00 nnnnn ttttt`, 'imm9');
      if (n === 'PRFM') continue; // no writeback or unprivileged prefetch
      add(`${n}_post`, 'ldst', `${s0} 0 iiiiiiiii 01 nnnnn ttttt`, 'imm9');
      add(`${n}_pre`, 'ldst', `${s0} 0 iiiiiiiii 11 nnnnn ttttt`, 'imm9');
      add(`${n}_unpriv`, 'ldst', `${s0} 0 iiiiiiiii 10 nnnnn ttttt`, 'imm9');
    }
  }
  ['LDR_w_lit', 'LDR_x_lit', 'LDRSW_lit', 'PRFM_lit'].forEach((n, opc) =>
    add(n, 'ldst', `${bits(opc, 2)}011 0 00 iiiiiiiiiiiiiiiiiii ttttt`, 'lit', { weight: 2 }));

  // Pairs: opc 00 = W, 01 = LDPSW (loads only), 10 = X.
  const idxName = ['np', 'post', 'off', 'pre'];
  for (const [opc, sfx] of [[0, 'w'], [1, 'sw'], [2, 'x']] as const) {
    for (let idx = 0; idx < 4; idx++) {
      for (let L = 0; L < 2; L++) {
        if (opc === 1 && (L === 0 || idx === 0)) continue; // STGP (MTE) and "LDNPSW" are not ARMv8.0
        const base = opc === 1 ? 'LDPSW' : idx === 0 ? (L ? 'LDNP' : 'STNP') : (L ? 'LDP' : 'STP');
        const n = opc === 1 ? `${base}_${idxName[idx]}` : `${base}_${sfx}${idx === 0 ? '' : '_' + idxName[idx]}`;
        add(n, 'ldst_pair', `${bits(opc, 2)}101 0 0 ${bits(idx, 2)} ${L} iiiiiii uuuuu nnnnn ttttt`, 'pair');
      }
    }
  }

  // Exclusives, acquire/release: size 001000 o2 L o1 Rs o0 Rt2 Rn Rt.
  const sz = ['B', 'H', '_w', '_x'];
  for (let size = 0; size < 4; size++) {
    const s = bits(size, 2);
    add(`STXR${sz[size]}`, 'excl', `${s}001000 000 sssss 0 YYYYY nnnnn ttttt`, 'ex');
    add(`STLXR${sz[size]}`, 'excl', `${s}001000 000 sssss 1 YYYYY nnnnn ttttt`, 'ex');
    add(`LDXR${sz[size]}`, 'excl', `${s}001000 010 YYYYY 0 YYYYY nnnnn ttttt`, 'ex');
    add(`LDAXR${sz[size]}`, 'excl', `${s}001000 010 YYYYY 1 YYYYY nnnnn ttttt`, 'ex');
    add(`STLR${sz[size]}`, 'excl', `${s}001000 100 YYYYY 1 YYYYY nnnnn ttttt`, 'ex');
    add(`LDAR${sz[size]}`, 'excl', `${s}001000 110 YYYYY 1 YYYYY nnnnn ttttt`, 'ex');
    // The same with the should-be-one Rs and Rt2 fields free: CONSTRAINED UNPREDICTABLE in the Arm ARM
    // (UNDEFINED or as if all ones); QEMU 7.2 ignores the fields, and so do we (as for LDXR/STXR).
    add(`STLR_anyRsRt2${sz[size]}`, 'excl', `${s}001000 100 sssss 1 uuuuu nnnnn ttttt`, 'ex');
    add(`LDAR_anyRsRt2${sz[size]}`, 'excl', `${s}001000 110 sssss 1 uuuuu nnnnn ttttt`, 'ex');
    add(`LDAPR${sz[size]}`, 'excl', `${s}111000 101 11111 1100 00 nnnnn ttttt`, 'ex');
    add(`LDXR_STXR${sz[size]}`, 'excl', `${s}001000 010 11111 o 11111 nnnnn ttttt`, 'ex2', { weight: 2 });
    // CAS, CASA, CASL, CASAL (L = acquire, o0 = release).
    add(`CAS${sz[size]}`, 'atomic', `${s}001000 1 L 1 sssss o YYYYY nnnnn ttttt`, 'cas', { weight: 2 });
  }
  for (const [z, n] of [[0, '_w'], [1, '_x']] as const) {
    add(`STXP${n}`, 'excl', `1${z}001000 001 sssss 0 uuuuu nnnnn ttttt`, 'exp');
    add(`STLXP${n}`, 'excl', `1${z}001000 001 sssss 1 uuuuu nnnnn ttttt`, 'exp');
    add(`LDXP${n}`, 'excl', `1${z}001000 011 YYYYY 0 uuuuu nnnnn ttttt`, 'exp');
    add(`LDAXP${n}`, 'excl', `1${z}001000 011 YYYYY 1 uuuuu nnnnn ttttt`, 'exp');
    add(`LDXP_STXP${n}`, 'excl', `1${z}001000 011 11111 o uuuuu nnnnn ttttt`, 'ex2', { weight: 2 });
    add(`CASP${n}`, 'atomic', `0${z}001000 0 L 1 sssss o YYYYY nnnnn ttttt`, 'casp', { weight: 2 });
  }
  // LSE: size 111000 A R 1 Rs o3 opc 00 Rn Rt.
  const ops: [string, number, number][] = [
    ['LDADD', 0, 0], ['LDCLR', 0, 1], ['LDEOR', 0, 2], ['LDSET', 0, 3],
    ['LDSMAX', 0, 4], ['LDSMIN', 0, 5], ['LDUMAX', 0, 6], ['LDUMIN', 0, 7], ['SWP', 1, 0],
  ];
  for (const [n, o3, opc] of ops) {
    for (let size = 0; size < 4; size++) {
      add(`${n}${sz[size]}`, 'atomic', `${bits(size, 2)}111000 AR1 sssss ${o3}${bits(opc, 3)} 00 nnnnn ttttt`, 'atomic');
    }
  }

  // ------------------------------------------------------------ data processing (register)
  ['AND', 'BIC', 'ORR', 'ORN', 'EOR', 'EON', 'ANDS', 'BICS'].forEach((n, k) =>
    add(`${n}_shift`, 'dp_reg', `z${bits(k >> 1, 2)}01010 hh ${k & 1} mmmmm iiiiii nnnnn ddddd`, 'alu', { weight: 2 }));
  ['ADD', 'ADDS', 'SUB', 'SUBS'].forEach((n, k) => {
    add(`${n}_shift`, 'dp_reg', `z${bits(k, 2)}01011 hh 0 mmmmm iiiiii nnnnn ddddd`, 'alu', { weight: 2 });
    add(`${n}_ext`, 'dp_reg', `z${bits(k, 2)}01011 00 1 mmmmm xxx iii nnnnn ddddd`, 'alu', { weight: 2 });
  });
  ['ADC', 'ADCS', 'SBC', 'SBCS'].forEach((n, k) =>
    add(n, 'dp_reg', `z${bits(k, 2)}11010000 mmmmm 000000 nnnnn ddddd`, 'alu'));
  ['CCMN', 'CCMP'].forEach((n, k) => {
    add(`${n}_reg`, 'dp_reg', `z${k}111010010 mmmmm cccc 0 0 nnnnn 0 ffff`, 'alu');
    add(`${n}_imm`, 'dp_reg', `z${k}111010010 iiiii cccc 1 0 nnnnn 0 ffff`, 'alu');
  });
  ['CSEL', 'CSINC', 'CSINV', 'CSNEG'].forEach((n, k) =>
    add(n, 'dp_reg', `z${k >> 1}011010100 mmmmm cccc 0${k & 1} nnnnn ddddd`, 'alu'));
  for (const [n, sf, opc] of [['RBIT', 'z', 0], ['REV16', 'z', 1], ['REV_w', '0', 2], ['REV32', '1', 2], ['REV_x', '1', 3], ['CLZ', 'z', 4], ['CLS', 'z', 5]] as const) {
    add(n, 'dp_reg', `${sf}1011010110 00000 ${bits(opc, 6)} nnnnn ddddd`, 'alu');
  }
  const two: [string, string, number][] = [
    ['UDIV', 'z', 2], ['SDIV', 'z', 3], ['LSLV', 'z', 8], ['LSRV', 'z', 9], ['ASRV', 'z', 10], ['RORV', 'z', 11],
    ['CRC32B', '0', 16], ['CRC32H', '0', 17], ['CRC32W', '0', 18], ['CRC32X', '1', 19],
    ['CRC32CB', '0', 20], ['CRC32CH', '0', 21], ['CRC32CW', '0', 22], ['CRC32CX', '1', 23],
  ];
  for (const [n, sf, opc] of two) add(n, 'dp_reg', `${sf}0011010110 mmmmm ${bits(opc, 6)} nnnnn ddddd`, 'alu', { weight: n.endsWith('DIV') ? 2 : 1 });
  const three: [string, string, number, number, boolean][] = [
    ['MADD', 'z', 0, 0, false], ['MSUB', 'z', 0, 1, false], ['SMADDL', '1', 1, 0, false], ['SMSUBL', '1', 1, 1, false],
    ['SMULH', '1', 2, 0, true], ['UMADDL', '1', 5, 0, false], ['UMSUBL', '1', 5, 1, false], ['UMULH', '1', 6, 0, true],
  ];
  for (const [n, sf, op31, o0, hi] of three) {
    add(n, 'dp_reg', `${sf}0011011 ${bits(op31, 3)} mmmmm ${o0} ${hi ? 'YYYYY' : 'aaaaa'} nnnnn ddddd`, 'alu', { weight: 2 });
  }

  // ------------------------------------------------------------ SIMD&FP families
  for (const f of FAMILIES) {
    for (const x of f.entries) {
      const e = entry(x.name, f.cls, x.pattern, 'fp', { weight: x.weight, excluded: x.excluded });
      e.gen = x.gen;
      E.push(e);
    }
  }
  return E;
}

export const CATALOGUE: readonly CatEntry[] = build();

const BY_NAME = new Map(CATALOGUE.map((e) => [e.name, e]));

/** The entry of a name (probes and unknown names: undefined). */
export function entryByName(name: string): CatEntry | undefined {
  return BY_NAME.get(name);
}

{
  const seen = new Set<string>();
  for (const e of CATALOGUE) {
    if (seen.has(e.name)) throw new Error(`oracle catalogue: duplicate name ${e.name}`);
    seen.add(e.name);
  }
}

// Lookup by bucket on bits [28:21] (as the emulator's decoder does), most fixed bits first.
const BUCKET_SHIFT = 21;
const buckets: CatEntry[][] = [];
{
  const ordered = CATALOGUE.filter((e) => !e.sequence).sort((a, b) => b.fixedBits - a.fixedBits);
  const bmask = 0xff << BUCKET_SHIFT;
  for (let k = 0; k < 256; k++) {
    const w = k << BUCKET_SHIFT;
    buckets.push(ordered.filter((e) => ((w ^ e.value) & e.mask & bmask) === 0));
  }
}

/** The entry a word belongs to, or undefined (a word outside the oracle's ISA). */
export function classify(word: number): CatEntry | undefined {
  const w = word >>> 0;
  for (const e of buckets[(w >>> BUCKET_SHIFT) & 0xff]) if (((w & e.mask) >>> 0) === e.value) return e;
  return undefined;
}

/** Encodings QEMU's cortex-a76 model executes that are outside the ISA under test, or spaces whose
 * results cannot be compared: probes (random words) avoid them. */
export function probeExcluded(word: number): boolean {
  const w = word >>> 0;
  const op0 = (w >>> 25) & 0xf;
  if ((op0 & 0b0111) === 0b0111) return true;            // SIMD and floating point data processing
  if ((op0 & 0b0101) === 0b0100 && (w >>> 26) & 1) return true; // SIMD/FP loads and stores (V = 1)
  if (((w & 0x3fa08000) >>> 0) === 0x08800000) {
    // LDLAR/STLLR (ARMv8.1 LOR): size 001000 1 L 0 Rs 0 Rt2 Rn Rt.
    return true;
  }
  if ((w >>> 22) === 0b1101010100) {
    // System space: only the hint and barrier groups (op0 = 00, op1 = 011, CRn = 0010/0011) are probed.
    const op0s = (w >>> 19) & 3, op1 = (w >>> 16) & 7, crn = (w >>> 12) & 15;
    return !(((w >>> 21) & 1) === 0 && op0s === 0 && op1 === 3 && (crn === 2 || crn === 3));
  }
  if ((w & 0xffe0001f) === 0xd4000001) return true;      // SVC
  // A catalogue encoding except for should-be-one bits: CONSTRAINED UNPREDICTABLE.
  for (const e of SBO_ENTRIES) if (((w ^ e.value) & e.mask & ~e.sbo) === 0) return true;
  return false;
}

const SBO_ENTRIES = CATALOGUE.filter((e) => e.sbo !== 0);

/** A word that matches a catalogue entry except for should-be-one bits, with those bits set; other
 * words unchanged. Decode-table rows that leave such fields free are sampled through this. */
export function withSboBits(word: number): number {
  const w = word >>> 0;
  for (const e of SBO_ENTRIES) if (((w ^ e.value) & e.mask & ~e.sbo) === 0) return (w | e.sbo) >>> 0;
  return w;
}
