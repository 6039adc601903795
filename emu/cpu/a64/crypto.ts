// The Cortex-A57 cryptographic extension (Arm ARM C4.1.6: Cryptographic AES, three-register SHA,
// two-register SHA; and PMULL/PMULL2 of the three-different class, whose 64-bit form belongs to it):
// AESE, AESD, AESMC, AESIMC; SHA1C/P/M, SHA1H, SHA1SU0/SU1; SHA256H/H2, SHA256SU0/SU1; PMULL{2} of
// 8-bit and 64-bit polynomials. As the Arm ARM pseudocode; no allocation (tables and one scratch state).

import { Cpu } from '../cpu.js';
import { enc, Encoding, Insn } from '../insn.js';
import { fpEnabled } from './simd_fp.js';

// ---------------------------------------------------------------- AES

const SBOX = new Uint8Array(256);
const INV_SBOX = new Uint8Array(256);
{
  // The S-box from the multiplicative inverse in GF(2^8) and the affine map (FIPS-197 5.1.1).
  let p = 1, q = 1;
  do {
    p = p ^ ((p << 1) & 0xff) ^ (p & 0x80 ? 0x1b : 0); // p * 3
    q ^= q << 1; q ^= q << 2; q ^= q << 4; q &= 0xff; if (q & 0x80) q ^= 0x09; // q / 3
    const x = q ^ ((q << 1) | (q >>> 7)) ^ ((q << 2) | (q >>> 6)) ^ ((q << 3) | (q >>> 5)) ^ ((q << 4) | (q >>> 4));
    SBOX[p] = (x ^ 0x63) & 0xff;
  } while (p !== 1);
  SBOX[0] = 0x63;
  for (let k = 0; k < 256; k++) INV_SBOX[SBOX[k]] = k;
}

/** Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1. */
function gmul(a: number, b: number): number {
  let r = 0;
  while (b !== 0) {
    if (b & 1) r ^= a;
    a = (a << 1) ^ (a & 0x80 ? 0x11b : 0);
    b >>>= 1;
  }
  return r;
}

/** (x * 2, x * 3, x * 9, x * 11, x * 13, x * 14) tables for MixColumns and its inverse. */
const MUL2 = new Uint8Array(256), MUL3 = new Uint8Array(256), MUL9 = new Uint8Array(256);
const MUL11 = new Uint8Array(256), MUL13 = new Uint8Array(256), MUL14 = new Uint8Array(256);
for (let k = 0; k < 256; k++) {
  MUL2[k] = gmul(k, 2); MUL3[k] = gmul(k, 3); MUL9[k] = gmul(k, 9);
  MUL11[k] = gmul(k, 11); MUL13[k] = gmul(k, 13); MUL14[k] = gmul(k, 14);
}

/** Byte k of the state is row k % 4, column k / 4 (the register's byte k). ShiftRows moves row r
 * left by r: out[r + 4c] = in[r + 4((c + r) % 4)]; the inverse moves it right. */
const SHIFT = new Uint8Array(16), INV_SHIFT = new Uint8Array(16);
for (let r = 0; r < 4; r++) {
  for (let col = 0; col < 4; col++) {
    SHIFT[r + 4 * col] = r + 4 * ((col + r) % 4);
    INV_SHIFT[r + 4 * col] = r + 4 * ((col - r + 4) % 4);
  }
}

const st = new Uint8Array(16);

/** AESE (decrypt: AESD): Vd = SubBytes(ShiftRows(Vd EOR Vn)), or their inverses. */
function aesRound(c: Cpu, i: Insn, decrypt: boolean): void {
  if (!fpEnabled(c)) return;
  const vb = c.vb, d = i.rd << 4, n = i.rn << 4;
  for (let k = 0; k < 16; k++) st[k] = vb[d + k] ^ vb[n + k];
  const shift = decrypt ? INV_SHIFT : SHIFT, box = decrypt ? INV_SBOX : SBOX;
  for (let k = 0; k < 16; k++) vb[d + k] = box[st[shift[k]]];
}

function AESE(c: Cpu, i: Insn): void { aesRound(c, i, false); }
function AESD(c: Cpu, i: Insn): void { aesRound(c, i, true); }

function AESMC(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const vb = c.vb, d = i.rd << 4, n = i.rn << 4;
  for (let k = 0; k < 16; k += 4) {
    const a0 = vb[n + k], a1 = vb[n + k + 1], a2 = vb[n + k + 2], a3 = vb[n + k + 3];
    st[k] = MUL2[a0] ^ MUL3[a1] ^ a2 ^ a3;
    st[k + 1] = a0 ^ MUL2[a1] ^ MUL3[a2] ^ a3;
    st[k + 2] = a0 ^ a1 ^ MUL2[a2] ^ MUL3[a3];
    st[k + 3] = MUL3[a0] ^ a1 ^ a2 ^ MUL2[a3];
  }
  vb.set(st, d);
}

function AESIMC(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const vb = c.vb, d = i.rd << 4, n = i.rn << 4;
  for (let k = 0; k < 16; k += 4) {
    const a0 = vb[n + k], a1 = vb[n + k + 1], a2 = vb[n + k + 2], a3 = vb[n + k + 3];
    st[k] = MUL14[a0] ^ MUL11[a1] ^ MUL13[a2] ^ MUL9[a3];
    st[k + 1] = MUL9[a0] ^ MUL14[a1] ^ MUL11[a2] ^ MUL13[a3];
    st[k + 2] = MUL13[a0] ^ MUL9[a1] ^ MUL14[a2] ^ MUL11[a3];
    st[k + 3] = MUL11[a0] ^ MUL13[a1] ^ MUL9[a2] ^ MUL14[a3];
  }
  vb.set(st, d);
}

// ---------------------------------------------------------------- SHA-1 and SHA-256

const rol = (x: number, k: number): number => (x << k) | (x >>> (32 - k));
const ror = (x: number, k: number): number => (x >>> k) | (x << (32 - k));

/** SHA1C (choose), SHA1P (parity), SHA1M (majority): four rounds on X = Vd (ABCD), Y = Sn (E), W = Vm. */
function sha1Rounds(c: Cpu, i: Insn, f: number): void {
  if (!fpEnabled(c)) return;
  const vw = c.vw, d = i.rd << 2, m = i.rm << 2;
  let x0 = vw[d], x1 = vw[d + 1], x2 = vw[d + 2], x3 = vw[d + 3], y = vw[i.rn << 2];
  for (let e = 0; e < 4; e++) {
    const t = f === 0 ? (x1 & x2) | (~x1 & x3) : f === 1 ? x1 ^ x2 ^ x3 : (x1 & x2) | (x1 & x3) | (x2 & x3);
    y = (y + rol(x0, 5) + t + vw[m + e]) | 0;
    x1 = rol(x1, 30);
    // <Y, X> = ROL(Y:X, 32)
    const top = x3;
    x3 = x2; x2 = x1; x1 = x0; x0 = y; y = top;
  }
  vw[d] = x0; vw[d + 1] = x1; vw[d + 2] = x2; vw[d + 3] = x3;
}

function SHA1C(c: Cpu, i: Insn): void { sha1Rounds(c, i, 0); }
function SHA1P(c: Cpu, i: Insn): void { sha1Rounds(c, i, 1); }
function SHA1M(c: Cpu, i: Insn): void { sha1Rounds(c, i, 2); }

/** SHA1H Sd, Sn: ROL(Sn, 30), the rest of Vd zeroed. */
function SHA1H(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const vw = c.vw, d = i.rd << 2;
  vw[d] = rol(vw[i.rn << 2], 30); vw[d + 1] = 0; vw[d + 2] = 0; vw[d + 3] = 0;
}

/** SHA1SU0: Vd = (Vn<63:0> : Vd<127:64>) EOR Vd EOR Vm. */
function SHA1SU0(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const vw = c.vw, d = i.rd << 2, n = i.rn << 2, m = i.rm << 2;
  const d0 = vw[d], d1 = vw[d + 1], d2 = vw[d + 2], d3 = vw[d + 3], n0 = vw[n], n1 = vw[n + 1];
  const m0 = vw[m], m1 = vw[m + 1], m2 = vw[m + 2], m3 = vw[m + 3];
  vw[d] = d2 ^ d0 ^ m0; vw[d + 1] = d3 ^ d1 ^ m1;
  vw[d + 2] = n0 ^ d2 ^ m2; vw[d + 3] = n1 ^ d3 ^ m3;
}

/** SHA1SU1: T = Vd EOR (Vn >> 32); W0..W2 = ROL(T0..T2, 1); W3 = ROL(T3, 1) EOR ROL(T0, 2). */
function SHA1SU1(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const vw = c.vw, d = i.rd << 2, n = i.rn << 2;
  const t0 = vw[d] ^ vw[n + 1], t1 = vw[d + 1] ^ vw[n + 2], t2 = vw[d + 2] ^ vw[n + 3], t3 = vw[d + 3];
  vw[d] = rol(t0, 1); vw[d + 1] = rol(t1, 1); vw[d + 2] = rol(t2, 1); vw[d + 3] = rol(t3, 1) ^ rol(t0, 2);
}

/** SHA256hash(X, Y, W, part1): four rounds; the result is X (part1: SHA256H) or Y (SHA256H2). */
function sha256Hash(c: Cpu, d: number, xr: number, yr: number, m: number, part1: boolean): void {
  const vw = c.vw;
  let x0 = vw[xr], x1 = vw[xr + 1], x2 = vw[xr + 2], x3 = vw[xr + 3];
  let y0 = vw[yr], y1 = vw[yr + 1], y2 = vw[yr + 2], y3 = vw[yr + 3];
  for (let e = 0; e < 4; e++) {
    const chs = (y0 & y1) | (~y0 & y2);
    const maj = (x0 & x1) | (x0 & x2) | (x1 & x2);
    const t = (y3 + (ror(y0, 6) ^ ror(y0, 11) ^ ror(y0, 25)) + chs + vw[m + e]) | 0;
    x3 = (t + x3) | 0;
    y3 = (t + (ror(x0, 2) ^ ror(x0, 13) ^ ror(x0, 22)) + maj) | 0;
    // <Y, X> = ROL(Y : X, 32)
    const xt = x3, yt = y3;
    x3 = x2; x2 = x1; x1 = x0; x0 = yt;
    y3 = y2; y2 = y1; y1 = y0; y0 = xt;
  }
  if (part1) { vw[d] = x0; vw[d + 1] = x1; vw[d + 2] = x2; vw[d + 3] = x3; }
  else { vw[d] = y0; vw[d + 1] = y1; vw[d + 2] = y2; vw[d + 3] = y3; }
}

function SHA256H(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  sha256Hash(c, i.rd << 2, i.rd << 2, i.rn << 2, i.rm << 2, true);
}

function SHA256H2(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  sha256Hash(c, i.rd << 2, i.rn << 2, i.rd << 2, i.rm << 2, false);
}

const sigma0 = (x: number): number => ror(x, 7) ^ ror(x, 18) ^ (x >>> 3);
const sigma1 = (x: number): number => ror(x, 17) ^ ror(x, 19) ^ (x >>> 10);

/** SHA256SU0: T = Vn<31:0> : Vd<127:32>; Vd.S[e] += sigma0(T.S[e]). */
function SHA256SU0(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const vw = c.vw, d = i.rd << 2;
  const t0 = vw[d + 1], t1 = vw[d + 2], t2 = vw[d + 3], t3 = vw[i.rn << 2];
  vw[d] = (vw[d] + sigma0(t0)) | 0; vw[d + 1] = (vw[d + 1] + sigma0(t1)) | 0;
  vw[d + 2] = (vw[d + 2] + sigma0(t2)) | 0; vw[d + 3] = (vw[d + 3] + sigma0(t3)) | 0;
}

/** SHA256SU1: T0 = Vm<31:0> : Vn<127:32>; the first two results use sigma1 of Vm<127:64>, the last two
 * sigma1 of the first two results. */
function SHA256SU1(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const vw = c.vw, d = i.rd << 2, n = i.rn << 2, m = i.rm << 2;
  const t00 = vw[n + 1], t01 = vw[n + 2], t02 = vw[n + 3], t03 = vw[m];
  const r0 = (sigma1(vw[m + 2]) + vw[d] + t00) | 0;
  const r1 = (sigma1(vw[m + 3]) + vw[d + 1] + t01) | 0;
  const r2 = (sigma1(r0) + vw[d + 2] + t02) | 0;
  const r3 = (sigma1(r1) + vw[d + 3] + t03) | 0;
  vw[d] = r0; vw[d + 1] = r1; vw[d + 2] = r2; vw[d + 3] = r3;
}

// ---------------------------------------------------------------- PMULL

const prod = new Int32Array(4);

/** Carry-less product of two 32-bit values into prod[k], prod[k + 1] (XORed in). */
function clmul32(a: number, b: number, k: number): void {
  let lo = 0, hi = 0;
  for (let s = 0; s < 32; s++) {
    if (((b >>> s) & 1) === 0) continue;
    lo ^= a << s;
    if (s !== 0) hi ^= a >>> (32 - s);
  }
  prod[k] ^= lo; prod[k + 1] ^= hi;
}

/** PMULL{2} Vd.8H, Vn.8B/16B, Vm.8B/16B (size 00) or Vd.1Q, Vn.1D/2D, Vm.1D/2D (size 11): the
 * polynomial products of the lower (PMULL) or upper (PMULL2) halves' elements. */
function PMULL(c: Cpu, i: Insn): void {
  if (!fpEnabled(c)) return;
  const half = i.Q;
  if (i.size === 0) {
    const vb = c.vb, vh = c.vh, n = (i.rn << 4) + 8 * half, m = (i.rm << 4) + 8 * half;
    let p0 = 0, p1 = 0, p2 = 0, p3 = 0, p4 = 0, p5 = 0, p6 = 0, p7 = 0;
    for (let e = 0; e < 8; e++) {
      const a = vb[n + e], b = vb[m + e];
      let r = 0;
      for (let s = 0; s < 8; s++) if ((b >>> s) & 1) r ^= a << s;
      switch (e) {
        case 0: p0 = r; break; case 1: p1 = r; break; case 2: p2 = r; break; case 3: p3 = r; break;
        case 4: p4 = r; break; case 5: p5 = r; break; case 6: p6 = r; break; default: p7 = r;
      }
    }
    const d = i.rd << 3;
    vh[d] = p0; vh[d + 1] = p1; vh[d + 2] = p2; vh[d + 3] = p3; vh[d + 4] = p4; vh[d + 5] = p5; vh[d + 6] = p6; vh[d + 7] = p7;
    return;
  }
  const vw = c.vw, n = (i.rn << 2) + 2 * half, m = (i.rm << 2) + 2 * half;
  const a0 = vw[n], a1 = vw[n + 1], b0 = vw[m], b1 = vw[m + 1];
  prod[0] = 0; prod[1] = 0; prod[2] = 0; prod[3] = 0;
  clmul32(a0, b0, 0);
  clmul32(a1, b1, 2);
  clmul32(a0, b1, 1);
  clmul32(a1, b0, 1);
  const d = i.rd << 2;
  vw[d] = prod[0]; vw[d + 1] = prod[1]; vw[d + 2] = prod[2]; vw[d + 3] = prod[3];
}

/** PMULL: size 00 (8-bit) and 11 (64-bit); 01 and 10 are reserved. */
function prepPmull(i: Insn): boolean {
  return i.size === 0 || i.size === 3;
}

// ---------------------------------------------------------------- decode rows

export const CRYPTO: Encoding[] = [
  enc('01001110 00 10100 00100 10 nnnnn ddddd', 'AESE', AESE),
  enc('01001110 00 10100 00101 10 nnnnn ddddd', 'AESD', AESD),
  enc('01001110 00 10100 00110 10 nnnnn ddddd', 'AESMC', AESMC),
  enc('01001110 00 10100 00111 10 nnnnn ddddd', 'AESIMC', AESIMC),
  enc('01011110 00 0 mmmmm 0 000 00 nnnnn ddddd', 'SHA1C', SHA1C),
  enc('01011110 00 0 mmmmm 0 001 00 nnnnn ddddd', 'SHA1P', SHA1P),
  enc('01011110 00 0 mmmmm 0 010 00 nnnnn ddddd', 'SHA1M', SHA1M),
  enc('01011110 00 0 mmmmm 0 011 00 nnnnn ddddd', 'SHA1SU0', SHA1SU0),
  enc('01011110 00 0 mmmmm 0 100 00 nnnnn ddddd', 'SHA256H', SHA256H),
  enc('01011110 00 0 mmmmm 0 101 00 nnnnn ddddd', 'SHA256H2', SHA256H2),
  enc('01011110 00 0 mmmmm 0 110 00 nnnnn ddddd', 'SHA256SU1', SHA256SU1),
  enc('01011110 00 10100 00000 10 nnnnn ddddd', 'SHA1H', SHA1H),
  enc('01011110 00 10100 00001 10 nnnnn ddddd', 'SHA1SU1', SHA1SU1),
  enc('01011110 00 10100 00010 10 nnnnn ddddd', 'SHA256SU0', SHA256SU0),
  enc('0 Q 0 01110 qq 1 mmmmm 1110 00 nnnnn ddddd', 'PMULL', PMULL, prepPmull),
];
