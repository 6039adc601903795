// The crypto extension against published test vectors: FIPS-197 (AES-128, appendix C.1) through
// AESE/AESMC and AESD/AESIMC, FIPS 180-4 SHA-256 and SHA-1 of "abc" through SHA256H/H2/SU0/SU1 and
// SHA1C/P/M/H/SU0/SU1, and PMULL of 64-bit polynomials. The instructions run on the emulator one at a
// time; the vector additions between them (ADD .4S, EOR) are done here, since they belong to other
// classes. (The oracle fixtures crypto.bin.gz compare every form with QEMU.)

import { beforeAll, describe, expect, it } from 'vitest';
import { Machine, RAM_BASE } from '../../emu/board/machine.js';
import type { Cpu } from '../../emu/cpu/cpu.js';
import { wordBytes } from '../harness.js';

let m: Machine;
let c: Cpu;

beforeAll(() => {
  m = new Machine({ smp: 1, ramMiB: 16, stdout: () => {}, stderr: () => {} });
  c = m.cores[0];
  m.boot(RAM_BASE, false);
});

// Encodings (the assembler in use has no crypto extension): Arm ARM C4.1.6.
const AES = (op: number) => (d: number, n: number): number => (0x4e284800 | (op << 12) | (n << 5) | d) >>> 0;
const SHA3 = (op: number) => (d: number, n: number, m2: number): number => (0x5e000000 | (m2 << 16) | (op << 12) | (n << 5) | d) >>> 0;
const SHA2 = (op: number) => (d: number, n: number): number => (0x5e280800 | (op << 12) | (n << 5) | d) >>> 0;
const aese = AES(0), aesd = AES(1), aesmc = AES(2), aesimc = AES(3);
const sha1c = SHA3(0), sha1p = SHA3(1), sha1m = SHA3(2), sha1su0 = SHA3(3), sha256h = SHA3(4), sha256h2 = SHA3(5), sha256su1 = SHA3(6);
const sha1h = SHA2(0), sha1su1 = SHA2(1), sha256su0 = SHA2(2);
const pmull = (q: number, size: number, d: number, n: number, m2: number): number => (0x0e20e000 | (q << 30) | (size << 22) | (m2 << 16) | (n << 5) | d) >>> 0;

/** Run one instruction with FP enabled (CPACR_EL1.FPEN = 11). */
async function run(w: number): Promise<void> {
  const src = w.toString(16);
  m.ram.load(RAM_BASE, wordBytes([w]));
  c.resetFetch();
  c.pcLo = RAM_BASE; c.pcHi = 0;
  const key = 0xc082; // CPACR_EL1: op0 3, op1 0, CRn 1, CRm 0, op2 2
  const el = c.el; c.el = 1; c.sys.write(c, key, 3 << 20, 0); c.el = el;
  c.run(1);
  expect(c.pcLo >>> 0, src).toBe(RAM_BASE + 4);
}

const setV = (n: number, words: number[]): void => { for (let k = 0; k < 4; k++) c.vw[4 * n + k] = words[k] | 0; };
const getV = (n: number): number[] => Array.from(c.vw.subarray(4 * n, 4 * n + 4), (x) => x >>> 0);
const bytesToWords = (b: number[]): number[] => [0, 1, 2, 3].map((k) => (b[4 * k] | (b[4 * k + 1] << 8) | (b[4 * k + 2] << 16) | (b[4 * k + 3] << 24)) >>> 0);
const hexBytes = (h: string): number[] => Array.from({ length: h.length / 2 }, (_, k) => parseInt(h.slice(2 * k, 2 * k + 2), 16));
const wordsHex = (w: number[]): string => w.flatMap((x) => [x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, x >>> 24]).map((b) => b.toString(16).padStart(2, '0')).join('');

/** AES-128 key expansion (FIPS-197 5.2), with the S-box computed here independently. */
function expandKey(key: number[]): number[][] {
  const sbox: number[] = [];
  for (let x = 0; x < 256; x++) {
    let inv = 0;
    for (let y = 1; y < 256 && x !== 0; y++) {
      let a = x, b = y, r = 0;
      while (b) { if (b & 1) r ^= a; a = (a << 1) ^ (a & 0x80 ? 0x11b : 0); b >>= 1; }
      if (r === 1) { inv = y; break; }
    }
    let s = inv;
    for (let k = 1; k <= 4; k++) s ^= ((inv << k) | (inv >> (8 - k))) & 0xff;
    sbox.push(s ^ 0x63);
  }
  const w: number[][] = [];
  for (let k = 0; k < 4; k++) w.push(key.slice(4 * k, 4 * k + 4));
  let rcon = 1;
  for (let k = 4; k < 44; k++) {
    let t = [...w[k - 1]];
    if (k % 4 === 0) {
      t = [sbox[t[1]] ^ rcon, sbox[t[2]], sbox[t[3]], sbox[t[0]]];
      rcon = (rcon << 1) ^ (rcon & 0x80 ? 0x11b : 0);
    }
    w.push(w[k - 4].map((b, j) => b ^ t[j]));
  }
  return Array.from({ length: 11 }, (_, r) => w.slice(4 * r, 4 * r + 4).flat());
}

describe('AES (FIPS-197 C.1)', () => {
  const key = hexBytes('000102030405060708090a0b0c0d0e0f');
  const plain = hexBytes('00112233445566778899aabbccddeeff');
  const cipher = '69c4e0d86a7b0430d8cdb78070b4c55a';

  it('encrypts with AESE/AESMC', async () => {
    const rk = expandKey(key);
    setV(0, bytesToWords(plain));
    for (let r = 0; r < 9; r++) {
      setV(1, bytesToWords(rk[r]));
      await run(aese(0, 1));
      await run(aesmc(0, 0));
    }
    setV(1, bytesToWords(rk[9]));
    await run(aese(0, 1));
    const last = bytesToWords(rk[10]);
    expect(wordsHex(getV(0).map((x, k) => (x ^ last[k]) >>> 0))).toBe(cipher);
  });

  it('decrypts with AESD/AESIMC (equivalent inverse cipher: round keys through AESIMC)', async () => {
    const rk = expandKey(key);
    setV(0, bytesToWords(hexBytes(cipher)));
    for (let r = 10; r >= 1; r--) {
      setV(1, bytesToWords(rk[r]));
      if (r < 10) await run(aesimc(1, 1)); // the decryption round key
      await run(aesd(0, 1));
      if (r > 1) await run(aesimc(0, 0));
    }
    const first = bytesToWords(rk[0]);
    expect(wordsHex(getV(0).map((x, k) => (x ^ first[k]) >>> 0))).toBe('00112233445566778899aabbccddeeff');
  });
});

/** "abc" padded to one 512-bit block, as big-endian words. */
const ABC = [0x61626380, ...Array(14).fill(0), 0x18];
const add4 = (a: number[], b: number[]): number[] => a.map((x, k) => (x + b[k]) >>> 0);

describe('SHA-256 (FIPS 180-4: "abc")', () => {
  it('hashes with SHA256H/H2/SU0/SU1', async () => {
    const K: number[] = [];
    for (let p = 2; K.length < 64; p++) {
      if ([...Array(p - 2).keys()].some((d) => p % (d + 2) === 0)) continue;
      K.push(Math.floor((Math.cbrt(p) % 1) * 2 ** 32) >>> 0);
    }
    const H0 = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    // Message words in v4-v7, state ABCD in v0, EFGH in v1.
    const msg = [0, 1, 2, 3].map((k) => ABC.slice(4 * k, 4 * k + 4));
    let abcd = H0.slice(0, 4), efgh = H0.slice(4);
    for (let q = 0; q < 16; q++) {
      const wk = add4(msg[q % 4], K.slice(4 * q, 4 * q + 4));
      setV(0, abcd); setV(1, efgh); setV(2, wk);
      setV(3, abcd); // SHA256H2 needs the old ABCD
      await run(sha256h(0, 1, 2));
      const newAbcd = getV(0);
      await run(sha256h2(1, 3, 2));
      efgh = getV(1); abcd = newAbcd;
      if (q < 12) {
        // W[4q+16..4q+19] from the last four message quads.
        setV(4, msg[q % 4]); setV(5, msg[(q + 1) % 4]); setV(6, msg[(q + 2) % 4]); setV(7, msg[(q + 3) % 4]);
        await run(sha256su0(4, 5));
        await run(sha256su1(4, 6, 7));
        msg[q % 4] = getV(4);
      }
    }
    const digest = [...add4(abcd, H0.slice(0, 4)), ...add4(efgh, H0.slice(4))].map((x) => x.toString(16).padStart(8, '0')).join('');
    expect(digest).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('SHA-1 (FIPS 180-4: "abc")', () => {
  it('hashes with SHA1C/P/M/H/SU0/SU1', async () => {
    const H0 = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
    const K = [0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6];
    const msg = [0, 1, 2, 3].map((k) => ABC.slice(4 * k, 4 * k + 4));
    let abcd = H0.slice(0, 4), e = H0[4];
    for (let q = 0; q < 20; q++) {
      const wk = add4(msg[q % 4], Array(4).fill(K[Math.floor(q / 5)]));
      setV(0, abcd); setV(1, [e, 0, 0, 0]); setV(2, wk);
      await run(sha1h(3, 0));
      const nextE = getV(3)[0];
      const op = q < 5 ? sha1c : q < 10 || q >= 15 ? sha1p : sha1m;
      await run(op(0, 1, 2));
      abcd = getV(0); e = nextE;
      if (q < 16) {
        setV(4, msg[q % 4]); setV(5, msg[(q + 1) % 4]); setV(6, msg[(q + 2) % 4]); setV(7, msg[(q + 3) % 4]);
        await run(sha1su0(4, 5, 6));
        await run(sha1su1(4, 7));
        msg[q % 4] = getV(4);
      }
    }
    const digest = [...add4(abcd, H0.slice(0, 4)), (e + H0[4]) >>> 0].map((x) => x.toString(16).padStart(8, '0')).join('');
    expect(digest).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
  });
});

describe('PMULL', () => {
  it('multiplies 64-bit polynomials (PMULL and PMULL2) and 8-bit ones', async () => {
    setV(1, [0x87654321, 0x0fedcba9, 0x00000003, 0x80000000]);
    setV(2, [0xffffffff, 0xffffffff, 0x00000003, 0x80000000]);
    await run(pmull(1, 3, 0, 1, 2));
    // (x^63 + x + 1)^2 = x^126 + x^2 + 1 (squaring is linear over GF(2)).
    expect(getV(0)).toEqual([0x00000005, 0, 0, 0x40000000]);
    const a = 0x0fedcba987654321n, b = 0xffffffffffffffffn;
    let r = 0n;
    for (let k = 0n; k < 64n; k++) if ((b >> k) & 1n) r ^= a << k;
    await run(pmull(0, 3, 0, 1, 2));
    expect(getV(0)).toEqual([0, 1, 2, 3].map((k) => Number((r >> BigInt(32 * k)) & 0xffffffffn)));
    setV(1, [0x030201ff, 0, 0, 0]); setV(2, [0x0303ff02, 0, 0, 0]);
    await run(pmull(0, 0, 0, 1, 2));
    // ff*02 = 1fe; 01*ff = ff; 02*03 = 6; 03*03 = 5.
    expect(getV(0)).toEqual([0x00ff01fe, 0x00050006, 0, 0]);
  });
});
