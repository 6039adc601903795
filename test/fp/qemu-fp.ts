// A direct oracle for the FP library: a C program (built with aarch64-linux-gnu-gcc -static) that runs
// each case's instruction under qemu-aarch64 with the case's FPCR (msr fpcr; the instruction; mrs fpsr)
// and prints the result bits and FPSR. The C source is generated from OPS, so the instruction text
// and the library's model of it sit side by side.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fp from '../../emu/cpu/fp/index.js';
import { R, LO, HI } from '../../emu/cpu/int64.js';

/** Operand kinds: FP registers s/d/h (bits), general registers w/x. */
export type Kind = 's' | 'd' | 'h' | 'w' | 'x';

export interface Op {
  name: string;
  /** The instruction: inputs are v1..v3 (FP) or {1}..{3} (GPR); the result is v0 or {0}; 'nzcv' out
   * reads NZCV. */
  asm: string;
  ins: Kind[];
  out: Kind | 'nzcv';
  /** The library's result for the inputs (as unsigned bigints). */
  lib: (st: fp.FpState, a: bigint[]) => bigint;
  /** NZCV is set from the third operand's bits 31:28 first (FCCMP, FCSEL). */
  nzcvIn?: boolean;
}

/** ConditionHolds for the 4-bit NZCV value. */
function condHolds(cond: number, nzcv: number): boolean {
  const N = (nzcv >> 3) & 1, Z = (nzcv >> 2) & 1, C = (nzcv >> 1) & 1, V = nzcv & 1;
  const r = [Z === 1, C === 1, N === 1, V === 1, C === 1 && Z === 0, N === V, N === V && Z === 0, true][cond >> 1];
  return (cond & 1) === 1 && cond !== 15 ? !r : r;
}
const nzcvOf = (a: bigint[]): number => Number((a[2] >> 28n) & 15n);

const S = 0x80000000;
const u32 = (v: number): bigint => BigInt(v >>> 0);
const lo = (v: bigint): number => Number(v & 0xffffffffn) | 0;
const hi = (v: bigint): number => Number((v >> 32n) & 0xffffffffn) | 0;
const rd = (): bigint => (BigInt(R[HI] >>> 0) << 32n) | BigInt(R[LO] >>> 0);
const sN = (v: bigint): number => Number(v & 0xffffffffn) | 0;

type S2 = (st: fp.FpState, a: number, b: number) => number;
type D2 = (st: fp.FpState, alo: number, ahi: number, blo: number, bhi: number) => void;

function s2(name: string, insn: string, f: S2, negResult = false): Op {
  return { name, asm: `${insn} s0, s1, s2`, ins: ['s', 's'], out: 's', lib: (st, a) => u32(f(st, sN(a[0]), sN(a[1])) ^ (negResult ? S : 0)) };
}
function d2(name: string, insn: string, f: D2, negResult = false): Op {
  return {
    name, asm: `${insn} d0, d1, d2`, ins: ['d', 'd'], out: 'd',
    lib: (st, a) => { f(st, lo(a[0]), hi(a[0]), lo(a[1]), hi(a[1])); if (negResult) R[HI] ^= S; return rd(); },
  };
}

/** FMADD family: Rd = [-]Ra + [-](Rn * Rm) with FPMulAdd seeing the negated operands. */
function s3(name: string, negA: boolean, negN: boolean): Op {
  return {
    name, asm: `${name} s0, s1, s2, s3`, ins: ['s', 's', 's'], out: 's',
    lib: (st, a) => u32(fp.sMulAdd(st, sN(a[2]) ^ (negA ? S : 0), sN(a[0]) ^ (negN ? S : 0), sN(a[1]))),
  };
}
function d3(name: string, negA: boolean, negN: boolean): Op {
  return {
    name, asm: `${name} d0, d1, d2, d3`, ins: ['d', 'd', 'd'], out: 'd',
    lib: (st, a) => {
      fp.dMulAdd(st, lo(a[2]), hi(a[2]) ^ (negA ? S : 0), lo(a[0]), hi(a[0]) ^ (negN ? S : 0), lo(a[1]), hi(a[1]));
      return rd();
    },
  };
}

const RINT: [string, number, boolean][] = [
  ['frintn', fp.RND_TIEEVEN, false], ['frintp', fp.RND_POSINF, false], ['frintm', fp.RND_NEGINF, false],
  ['frintz', fp.RND_ZERO, false], ['frinta', fp.RND_TIEAWAY, false], ['frintx', -1, true], ['frinti', -1, false],
];
const CVT: [string, number, boolean][] = [
  ['fcvtns', fp.RND_TIEEVEN, false], ['fcvtnu', fp.RND_TIEEVEN, true], ['fcvtps', fp.RND_POSINF, false],
  ['fcvtpu', fp.RND_POSINF, true], ['fcvtms', fp.RND_NEGINF, false], ['fcvtmu', fp.RND_NEGINF, true],
  ['fcvtzs', fp.RND_ZERO, false], ['fcvtzu', fp.RND_ZERO, true], ['fcvtas', fp.RND_TIEAWAY, false],
  ['fcvtau', fp.RND_TIEAWAY, true],
];
const rmode = (st: fp.FpState, r: number): number => (r < 0 ? fp.fpcrRounding(st) : r);

export const OPS: Op[] = [
  s2('fadd_s', 'fadd', fp.sAdd), s2('fsub_s', 'fsub', fp.sSub), s2('fmul_s', 'fmul', fp.sMul),
  s2('fdiv_s', 'fdiv', fp.sDiv), s2('fnmul_s', 'fnmul', fp.sMul, true), s2('fmax_s', 'fmax', fp.sMax),
  s2('fmin_s', 'fmin', fp.sMin), s2('fmaxnm_s', 'fmaxnm', fp.sMaxNum), s2('fminnm_s', 'fminnm', fp.sMinNum),
  s2('fmulx_s', 'fmulx', fp.sMulX), s2('frecps_s', 'frecps', fp.sRecipStepFused),
  s2('frsqrts_s', 'frsqrts', fp.sRSqrtStepFused),
  d2('fadd_d', 'fadd', fp.dAdd), d2('fsub_d', 'fsub', fp.dSub), d2('fmul_d', 'fmul', fp.dMul),
  d2('fdiv_d', 'fdiv', fp.dDiv), d2('fnmul_d', 'fnmul', fp.dMul, true), d2('fmax_d', 'fmax', fp.dMax),
  d2('fmin_d', 'fmin', fp.dMin), d2('fmaxnm_d', 'fmaxnm', fp.dMaxNum), d2('fminnm_d', 'fminnm', fp.dMinNum),
  d2('fmulx_d', 'fmulx', fp.dMulX), d2('frecps_d', 'frecps', fp.dRecipStepFused),
  d2('frsqrts_d', 'frsqrts', fp.dRSqrtStepFused),
  s3('fmadd', false, false), s3('fmsub', false, true), s3('fnmadd', true, true), s3('fnmsub', true, false),
  d3('fmadd', false, false), d3('fmsub', false, true), d3('fnmadd', true, true), d3('fnmsub', true, false),
  { name: 'fsqrt_s', asm: 'fsqrt s0, s1', ins: ['s'], out: 's', lib: (st, a) => u32(fp.sSqrt(st, sN(a[0]))) },
  { name: 'fsqrt_d', asm: 'fsqrt d0, d1', ins: ['d'], out: 'd', lib: (st, a) => { fp.dSqrt(st, lo(a[0]), hi(a[0])); return rd(); } },
  { name: 'fcmp_s', asm: 'fcmp s1, s2', ins: ['s', 's'], out: 'nzcv', lib: (st, a) => BigInt(fp.sCompare(st, sN(a[0]), sN(a[1]), false)) },
  { name: 'fcmpe_s', asm: 'fcmpe s1, s2', ins: ['s', 's'], out: 'nzcv', lib: (st, a) => BigInt(fp.sCompare(st, sN(a[0]), sN(a[1]), true)) },
  { name: 'fcmp_d', asm: 'fcmp d1, d2', ins: ['d', 'd'], out: 'nzcv', lib: (st, a) => BigInt(fp.dCompare(st, lo(a[0]), hi(a[0]), lo(a[1]), hi(a[1]), false)) },
  { name: 'fcmpe_d', asm: 'fcmpe d1, d2', ins: ['d', 'd'], out: 'nzcv', lib: (st, a) => BigInt(fp.dCompare(st, lo(a[0]), hi(a[0]), lo(a[1]), hi(a[1]), true)) },
  { name: 'fcmeq_s', asm: 'fcmeq s0, s1, s2', ins: ['s', 's'], out: 's', lib: (st, a) => (fp.sCompareEq(st, sN(a[0]), sN(a[1])) ? 0xffffffffn : 0n) },
  { name: 'fcmge_d', asm: 'fcmge d0, d1, d2', ins: ['d', 'd'], out: 'd', lib: (st, a) => (fp.dCompareGe(st, lo(a[0]), hi(a[0]), lo(a[1]), hi(a[1])) ? 0xffffffffffffffffn : 0n) },
  { name: 'fcmgt_s', asm: 'fcmgt s0, s1, s2', ins: ['s', 's'], out: 's', lib: (st, a) => (fp.sCompareGt(st, sN(a[0]), sN(a[1])) ? 0xffffffffn : 0n) },
  ...RINT.map(([n, r, x]): Op => ({ name: `${n}_s`, asm: `${n} s0, s1`, ins: ['s'], out: 's', lib: (st, a) => u32(fp.sRoundInt(st, sN(a[0]), rmode(st, r), x)) })),
  ...RINT.map(([n, r, x]): Op => ({ name: `${n}_d`, asm: `${n} d0, d1`, ins: ['d'], out: 'd', lib: (st, a) => { fp.dRoundInt(st, lo(a[0]), hi(a[0]), rmode(st, r), x); return rd(); } })),
  { name: 'fcvt_sd', asm: 'fcvt d0, s1', ins: ['s'], out: 'd', lib: (st, a) => { fp.sToD(st, sN(a[0])); return rd(); } },
  { name: 'fcvt_ds', asm: 'fcvt s0, d1', ins: ['d'], out: 's', lib: (st, a) => u32(fp.dToS(st, lo(a[0]), hi(a[0]))) },
  { name: 'fcvtxn', asm: 'fcvtxn s0, d1', ins: ['d'], out: 's', lib: (st, a) => u32(fp.dToS(st, lo(a[0]), hi(a[0]), fp.RND_ODD)) },
  { name: 'fcvt_sh', asm: 'fcvt h0, s1', ins: ['s'], out: 'h', lib: (st, a) => u32(fp.sToH(st, sN(a[0]))) },
  { name: 'fcvt_dh', asm: 'fcvt h0, d1', ins: ['d'], out: 'h', lib: (st, a) => u32(fp.dToH(st, lo(a[0]), hi(a[0]))) },
  { name: 'fcvt_hs', asm: 'fcvt s0, h1', ins: ['h'], out: 's', lib: (st, a) => u32(fp.hToS(st, sN(a[0]) & 0xffff)) },
  { name: 'fcvt_hd', asm: 'fcvt d0, h1', ins: ['h'], out: 'd', lib: (st, a) => { fp.hToD(st, sN(a[0]) & 0xffff); return rd(); } },
  ...CVT.flatMap(([n, r, u]): Op[] => [
    { name: `${n}_ws`, asm: `${n} {0:w}, s1`, ins: ['s'], out: 'w', lib: (st, a) => { fp.sToInt(st, sN(a[0]), 0, u, r, false); return rd(); } },
    { name: `${n}_xs`, asm: `${n} {0:x}, s1`, ins: ['s'], out: 'x', lib: (st, a) => { fp.sToInt(st, sN(a[0]), 0, u, r, true); return rd(); } },
    { name: `${n}_wd`, asm: `${n} {0:w}, d1`, ins: ['d'], out: 'w', lib: (st, a) => { fp.dToInt(st, lo(a[0]), hi(a[0]), 0, u, r, false); return rd(); } },
    { name: `${n}_xd`, asm: `${n} {0:x}, d1`, ins: ['d'], out: 'x', lib: (st, a) => { fp.dToInt(st, lo(a[0]), hi(a[0]), 0, u, r, true); return rd(); } },
  ]),
  ...[1, 17, 32].flatMap((fb): Op[] => [
    { name: `fcvtzs_ws_${fb}`, asm: `fcvtzs {0:w}, s1, #${fb}`, ins: ['s'], out: 'w', lib: (st, a) => { fp.sToInt(st, sN(a[0]), fb, false, fp.RND_ZERO, false); return rd(); } },
    { name: `fcvtzu_xd_${fb}`, asm: `fcvtzu {0:x}, d1, #${fb}`, ins: ['d'], out: 'x', lib: (st, a) => { fp.dToInt(st, lo(a[0]), hi(a[0]), fb, true, fp.RND_ZERO, true); return rd(); } },
    { name: `scvtf_sw_${fb}`, asm: `scvtf s0, {1:w}, #${fb}`, ins: ['w'], out: 's', lib: (st, a) => u32(fp.intToS(st, lo(a[0]), 0, false, false, fb, fp.fpcrRounding(st))) },
    { name: `ucvtf_dx_${fb}`, asm: `ucvtf d0, {1:x}, #${fb}`, ins: ['x'], out: 'd', lib: (st, a) => { fp.intToD(st, lo(a[0]), hi(a[0]), true, true, fb, fp.fpcrRounding(st)); return rd(); } },
  ]),
  ...[['scvtf', false], ['ucvtf', true]].flatMap(([n, u]): Op[] => [
    { name: `${n}_sw`, asm: `${n} s0, {1:w}`, ins: ['w'], out: 's', lib: (st, a) => u32(fp.intToS(st, lo(a[0]), 0, false, u as boolean, 0, fp.fpcrRounding(st))) },
    { name: `${n}_sx`, asm: `${n} s0, {1:x}`, ins: ['x'], out: 's', lib: (st, a) => u32(fp.intToS(st, lo(a[0]), hi(a[0]), true, u as boolean, 0, fp.fpcrRounding(st))) },
    { name: `${n}_dw`, asm: `${n} d0, {1:w}`, ins: ['w'], out: 'd', lib: (st, a) => { fp.intToD(st, lo(a[0]), 0, false, u as boolean, 0, fp.fpcrRounding(st)); return rd(); } },
    { name: `${n}_dx`, asm: `${n} d0, {1:x}`, ins: ['x'], out: 'd', lib: (st, a) => { fp.intToD(st, lo(a[0]), hi(a[0]), true, u as boolean, 0, fp.fpcrRounding(st)); return rd(); } },
  ]),
  { name: 'fmov_s', asm: 'fmov s0, s1', ins: ['s'], out: 's', lib: (_st, a) => a[0] },
  { name: 'fmov_d', asm: 'fmov d0, d1', ins: ['d'], out: 'd', lib: (_st, a) => a[0] },
  { name: 'fabs_s', asm: 'fabs s0, s1', ins: ['s'], out: 's', lib: (_st, a) => a[0] & 0x7fffffffn },
  { name: 'fabs_d', asm: 'fabs d0, d1', ins: ['d'], out: 'd', lib: (_st, a) => a[0] & 0x7fffffffffffffffn },
  { name: 'fneg_s', asm: 'fneg s0, s1', ins: ['s'], out: 's', lib: (_st, a) => a[0] ^ 0x80000000n },
  { name: 'fneg_d', asm: 'fneg d0, d1', ins: ['d'], out: 'd', lib: (_st, a) => a[0] ^ 0x8000000000000000n },
  { name: 'fcmp0_s', asm: 'fcmp s1, #0.0', ins: ['s'], out: 'nzcv', lib: (st, a) => BigInt(fp.sCompare(st, sN(a[0]), 0, false)) },
  { name: 'fcmpe0_d', asm: 'fcmpe d1, #0.0', ins: ['d'], out: 'nzcv', lib: (st, a) => BigInt(fp.dCompare(st, lo(a[0]), hi(a[0]), 0, 0, true)) },
  { name: 'fccmp_s', asm: 'fccmp s1, s2, #5, ge', ins: ['s', 's'], out: 'nzcv', nzcvIn: true,
    lib: (st, a) => BigInt(condHolds(10, nzcvOf(a)) ? fp.sCompare(st, sN(a[0]), sN(a[1]), false) : 5) },
  { name: 'fccmpe_d', asm: 'fccmpe d1, d2, #10, ne', ins: ['d', 'd'], out: 'nzcv', nzcvIn: true,
    lib: (st, a) => BigInt(condHolds(1, nzcvOf(a)) ? fp.dCompare(st, lo(a[0]), hi(a[0]), lo(a[1]), hi(a[1]), true) : 10) },
  { name: 'fcsel_s', asm: 'fcsel s0, s1, s2, hi', ins: ['s', 's'], out: 's', nzcvIn: true, lib: (_st, a) => (condHolds(8, nzcvOf(a)) ? a[0] : a[1]) },
  { name: 'fcsel_d', asm: 'fcsel d0, d1, d2, lt', ins: ['d', 'd'], out: 'd', nzcvIn: true, lib: (_st, a) => (condHolds(11, nzcvOf(a)) ? a[0] : a[1]) },
  // FMOV (immediate): VFPExpandImm's results, as listed in the Arm ARM's table of modified immediates.
  { name: 'fmov_imm_s1', asm: 'fmov s0, #1.0', ins: [], out: 's', lib: () => 0x3f800000n },
  { name: 'fmov_imm_s2', asm: 'fmov s0, #-0.125', ins: [], out: 's', lib: () => 0xbe000000n },
  { name: 'fmov_imm_s3', asm: 'fmov s0, #31.0', ins: [], out: 's', lib: () => 0x41f80000n },
  { name: 'fmov_imm_d1', asm: 'fmov d0, #-2.5', ins: [], out: 'd', lib: () => 0xc004000000000000n },
  { name: 'fmov_imm_d2', asm: 'fmov d0, #0.1328125', ins: [], out: 'd', lib: () => 0x3fc1000000000000n },
  { name: 'frecpe_s', asm: 'frecpe s0, s1', ins: ['s'], out: 's', lib: (st, a) => u32(fp.sRecipEstimate(st, sN(a[0]))) },
  { name: 'frecpe_d', asm: 'frecpe d0, d1', ins: ['d'], out: 'd', lib: (st, a) => { fp.dRecipEstimate(st, lo(a[0]), hi(a[0])); return rd(); } },
  { name: 'frsqrte_s', asm: 'frsqrte s0, s1', ins: ['s'], out: 's', lib: (st, a) => u32(fp.sRSqrtEstimate(st, sN(a[0]))) },
  { name: 'frsqrte_d', asm: 'frsqrte d0, d1', ins: ['d'], out: 'd', lib: (st, a) => { fp.dRSqrtEstimate(st, lo(a[0]), hi(a[0])); return rd(); } },
  { name: 'frecpx_s', asm: 'frecpx s0, s1', ins: ['s'], out: 's', lib: (st, a) => u32(fp.sRecpX(st, sN(a[0]))) },
  { name: 'frecpx_d', asm: 'frecpx d0, d1', ins: ['d'], out: 'd', lib: (st, a) => { fp.dRecpX(st, lo(a[0]), hi(a[0])); return rd(); } },
  { name: 'urecpe', asm: 'urecpe v0.2s, v1.2s', ins: ['s'], out: 's', lib: (_st, a) => u32(fp.uRecipEstimate(sN(a[0]))) },
  { name: 'ursqrte', asm: 'ursqrte v0.2s, v1.2s', ins: ['s'], out: 's', lib: (_st, a) => u32(fp.uRSqrtEstimate(sN(a[0]))) },
];

/** The C harness: reads cases (u32 op, u32 fpcr, u64 a, b, c) from stdin, writes (u64 result,
 * u64 fpsr) per case to stdout. */
export function harnessSource(ops: Op[]): string {
  const cases = ops.map((op, k) => {
    const pre: string[] = [];
    op.ins.forEach((kind, j) => {
      if (kind === 's' || kind === 'h') pre.push(`fmov s${j + 1}, %w[i${j}]`);
      else if (kind === 'd') pre.push(`fmov d${j + 1}, %x[i${j}]`);
    });
    let body = op.asm.replace(/\{(\d):([wx])\}/g, (_m, n: string, w: string) => (n === '0' ? `%${w}[r]` : `%${w}[i${Number(n) - 1}]`));
    let post: string;
    if (op.out === 'nzcv') post = 'mrs %x[r], nzcv';
    else if (op.out === 's' || op.out === 'h') post = 'fmov %w[r], s0';
    else if (op.out === 'd') post = 'fmov %x[r], d0';
    else post = '';
    if (op.nzcvIn) pre.push('msr nzcv, %x[i2]');
    const asm = ['msr fpcr, %x[fc]', 'msr fpsr, xzr', ...pre, body, post, 'mrs %x[fs], fpsr'].filter((x) => x);
    return `    case ${k}: asm volatile(${asm.map((l) => JSON.stringify(l + '\n')).join(' ')}
      : [r] "=&r"(r), [fs] "=&r"(fs) : [fc] "r"(fc), [i0] "r"(a), [i1] "r"(b), [i2] "r"(c)
      : "v0", "v1", "v2", "v3", "cc", "memory"); break;`;
  }).join('\n');
  return `#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
struct in { uint32_t op, fpcr; uint64_t a, b, c; };
static struct in buf[4096];
int main(void) {
  for (;;) {
    size_t n = fread(buf, sizeof buf[0], 4096, stdin);
    if (n == 0) break;
    for (size_t k = 0; k < n; k++) {
      uint64_t r = 0, fs = 0, fc = buf[k].fpcr, a = buf[k].a, b = buf[k].b, c = buf[k].c;
      switch (buf[k].op) {
${cases}
      default: abort();
      }
      uint64_t out[2] = { r, fs };
      fwrite(out, sizeof out, 1, stdout);
    }
  }
  asm volatile("msr fpcr, xzr");
  return 0;
}
`;
}

let built: string | undefined;

/** Build the harness once per process; returns the binary's path. */
export function buildHarness(): string {
  if (built) return built;
  const dir = mkdtempSync(join(tmpdir(), 'a64emu-fp-'));
  writeFileSync(join(dir, 'h.c'), harnessSource(OPS));
  const r = spawnSync('aarch64-linux-gnu-gcc', ['-O1', '-static', '-o', join(dir, 'h'), join(dir, 'h.c')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`harness build failed: ${r.stderr}`);
  built = join(dir, 'h');
  return built;
}

export interface Case { op: number; fpcr: number; a: bigint; b: bigint; c: bigint }
export interface Result { r: bigint; fpsr: number }

/** Run the cases under qemu-aarch64. */
export function runQemu(cases: Case[]): Result[] {
  const bin = buildHarness();
  const input = Buffer.alloc(cases.length * 32);
  cases.forEach((k, j) => {
    input.writeUInt32LE(k.op, j * 32); input.writeUInt32LE(k.fpcr >>> 0, j * 32 + 4);
    input.writeBigUInt64LE(k.a, j * 32 + 8); input.writeBigUInt64LE(k.b, j * 32 + 16); input.writeBigUInt64LE(k.c, j * 32 + 24);
  });
  const r = spawnSync('qemu-aarch64', [bin], { input, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`qemu-aarch64 failed: ${r.stderr}`);
  const out = r.stdout as Buffer;
  const res: Result[] = [];
  for (let j = 0; j < cases.length; j++) res.push({ r: out.readBigUInt64LE(j * 16), fpsr: Number(out.readBigUInt64LE(j * 16 + 8)) });
  return res;
}

/** The library's answer for a case (the NZCV result of a compare comes back in the result's low bits). */
export function runLib(k: Case): Result {
  const op = OPS[k.op];
  const st = { fpcr: k.fpcr, fpsr: 0 };
  let r = op.lib(st, [k.a, k.b, k.c]);
  if (op.out === 'nzcv') r <<= 28n;
  if (op.out === 'w' || op.out === 's' || op.out === 'h') r &= 0xffffffffn;
  return { r, fpsr: st.fpsr };
}
