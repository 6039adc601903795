// Arm ARM C4.1.6: Advanced SIMD modified immediate: MOVI, MVNI, ORR (vector, immediate), BIC (vector,
// immediate) and FMOV (vector, immediate), which is a bit pattern too. Decode time expands the
// immediate (AdvSIMDExpandImm), inverted for MVNI and BIC, into aux0 (bits 31:0) and aux1 (63:32).
// o2 = 1 (FMOV of half precision, ARMv8.2) is left unallocated.

import type { Cpu } from '../cpu.js';
import { enc, Encoding, Insn } from '../insn.js';
import { fpEnabled } from './simd_fp.js';

function MOVI(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const b = i.rd * 4, v = c.vw;
  v[b] = i.aux0; v[b + 1] = i.aux1;
  if (i.Q) { v[b + 2] = i.aux0; v[b + 3] = i.aux1; } else { v[b + 2] = 0; v[b + 3] = 0; }
}

function ORR(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const b = i.rd * 4, v = c.vw;
  v[b] |= i.aux0; v[b + 1] |= i.aux1;
  if (i.Q) { v[b + 2] |= i.aux0; v[b + 3] |= i.aux1; } else { v[b + 2] = 0; v[b + 3] = 0; }
}

function BIC(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const b = i.rd * 4, v = c.vw;
  v[b] &= i.aux0; v[b + 1] &= i.aux1; // aux = NOT(imm)
  if (i.Q) { v[b + 2] &= i.aux0; v[b + 3] &= i.aux1; } else { v[b + 2] = 0; v[b + 3] = 0; }
}

function prepare(i: Insn): boolean {
  const w = i.word, op = (w >>> 29) & 1, cmode = (w >>> 12) & 15;
  const imm8 = ((w >>> 11) & 0xe0) | ((w >>> 5) & 0x1f);
  let lo = 0, hi = 0, name = op ? 'MVNI' : 'MOVI', exec = MOVI, invert = op === 1;
  const rep32 = (x: number): void => { lo = x; hi = x; };
  switch (cmode >>> 1) {
    case 0: case 1: case 2: case 3: rep32(imm8 << (8 * (cmode >>> 1))); break;
    case 4: case 5: { const h = (imm8 << (8 * ((cmode >>> 1) & 1))) & 0xffff; rep32(h | (h << 16)); break; }
    case 6: rep32(cmode & 1 ? (imm8 << 16) | 0xffff : (imm8 << 8) | 0xff); break;
    default:
      if ((cmode & 1) === 0) {
        invert = false;
        if (op === 0) { rep32(imm8 * 0x01010101); name = 'MOVI'; } else {
          // Each bit of imm8 selects a byte of ones.
          for (let k = 0; k < 4; k++) { if ((imm8 >> k) & 1) lo |= 0xff << (8 * k); if ((imm8 >> (k + 4)) & 1) hi |= 0xff << (8 * k); }
          name = 'MOVI';
        }
      } else {
        invert = false; name = 'FMOV';
        const a = imm8 >> 7, b = (imm8 >> 6) & 1, cdefgh = imm8 & 0x3f;
        if (op === 0) rep32((a << 31) | ((b ^ 1) << 30) | ((b ? 0x1f : 0) << 25) | (cdefgh << 19));
        else {
          if (i.Q === 0) return false;
          lo = 0; hi = (a << 31) | ((b ^ 1) << 30) | ((b ? 0xff : 0) << 22) | (cdefgh << 16);
        }
      }
  }
  // ORR and BIC: cmode 0xx1 (32-bit lanes) and 10x1 (16-bit lanes).
  if ((cmode & 1) === 1 && cmode < 12) { exec = op ? BIC : ORR; name = op ? 'BIC' : 'ORR'; }
  if (invert) { lo = ~lo; hi = ~hi; }
  i.aux0 = lo | 0; i.aux1 = hi | 0; i.exec = exec; i.name = name;
  return true;
}

export const SIMD_IMM: Encoding[] = [
  enc('0QU0111100000 iii kkkk 0 1 jjjjj ddddd', 'SIMD_modified_immediate', MOVI, prepare),
];
