// Helpers for instruction-level tests: a one-core machine with code at RAM base, 64-bit register access
// through BigInt (fine at the edges), and a runner that checks untouched registers stay untouched.

import { expect } from 'vitest';
import { Machine, RAM_BASE } from '../emu/board/machine.js';
import type { Cpu } from '../emu/cpu/cpu.js';
import { toBigInt, R, LO, HI } from '../emu/cpu/int64.js';
import { SYSREG_BY_NAME } from '../emu/cpu/sysregs.js';

export const CODE = RAM_BASE;
/** A scratch data area tests may point memory operands at. */
export const SCRATCH = RAM_BASE + 0x10_0000;

export function getX(c: Cpu, r: number): bigint {
  return toBigInt(c.x[2 * r], c.x[2 * r + 1]);
}

export function setX(c: Cpu, r: number, v: bigint): void {
  v = BigInt.asUintN(64, v);
  c.x[2 * r] = Number(v & 0xffffffffn) | 0;
  c.x[2 * r + 1] = Number(v >> 32n) | 0;
}

export function pc(c: Cpu): bigint {
  return toBigInt(c.pcLo, c.pcHi);
}

/** Instruction words as little-endian bytes. */
export function wordBytes(words: readonly number[]): Uint8Array {
  const b = new Uint8Array(words.length * 4);
  const dv = new DataView(b.buffer);
  words.forEach((w, k) => dv.setUint32(4 * k, w >>> 0, true));
  return b;
}

/** A fresh one-core machine at EL1 with `words` at CODE and the PC there. */
export function machineWith(words: number[], opts: { el?: number } = {}): { m: Machine; c: Cpu } {
  const m = new Machine({ smp: 1, ramMiB: 16, stdout: () => {}, stderr: () => {} });
  const c = m.cores[0];
  m.ram.load(CODE, wordBytes(words));
  c.pcLo = CODE; c.pcHi = 0;
  if (opts.el !== undefined) c.selectSp(opts.el, c.spsel);
  return { m, c };
}

export interface RegState { x: bigint[]; sp: bigint; nzcv: number }

export function snapshot(c: Cpu): RegState {
  const x: bigint[] = [];
  for (let r = 0; r < 31; r++) x.push(getX(c, r));
  return { x, sp: getX(c, 32), nzcv: c.nzcv };
}

/**
 * Run `words` (one instruction unless more are given, each executed once in sequence) from the
 * initial registers `init`, then check `want`; every register and flag not named in `want` must
 * be unchanged. Returns the machine for further checks.
 */
export function exec(words: number | number[], init: { x?: Record<number, bigint>; sp?: bigint; nzcv?: number },
  want: { x?: Record<number, bigint>; sp?: bigint; nzcv?: number; pc?: bigint }): { m: Machine; c: Cpu } {
  const list = Array.isArray(words) ? words : [words];
  const { m, c } = machineWith(list);
  for (const [r, v] of Object.entries(init.x ?? {})) setX(c, Number(r), v);
  if (init.sp !== undefined) setX(c, 32, init.sp);
  if (init.nzcv !== undefined) c.nzcv = init.nzcv;
  const before = snapshot(c);
  c.run(list.length);
  const after = snapshot(c);
  const expected = { ...before, x: [...before.x] };
  for (const [r, v] of Object.entries(want.x ?? {})) expected.x[Number(r)] = BigInt.asUintN(64, v);
  if (want.sp !== undefined) expected.sp = BigInt.asUintN(64, want.sp);
  if (want.nzcv !== undefined) expected.nzcv = want.nzcv;
  const hex = (s: RegState) => ({ x: s.x.map((v) => '0x' + v.toString(16)), sp: '0x' + s.sp.toString(16), nzcv: s.nzcv.toString(2).padStart(4, '0') });
  expect(hex(after)).toEqual(hex(expected));
  if (want.pc !== undefined) expect('0x' + pc(c).toString(16)).toBe('0x' + BigInt.asUintN(64, want.pc).toString(16));
  return { m, c };
}

/** Write `bytes` little-endian bytes of v at physical address addr. */
export function poke(c: Cpu, addr: number, bytes: number, v: bigint): void {
  for (let k = 0; k < bytes; k++) c.ram.u8[addr - RAM_BASE + k] = Number((v >> BigInt(8 * k)) & 0xffn);
}

/** Read `bytes` little-endian bytes at physical address addr. */
export function peek(c: Cpu, addr: number, bytes: number): bigint {
  let v = 0n;
  for (let k = bytes - 1; k >= 0; k--) v = (v << 8n) | BigInt(c.ram.u8[addr - RAM_BASE + k]);
  return v;
}

/** A system register's value, read from the test whatever the core's EL (as if at EL2). */
export function sysr(c: Cpu, name: string): bigint {
  const el = c.el; c.el = 2;
  const ok = c.sys.read(c, sysRegKey(name));
  c.el = el;
  if (!ok) throw new Error(`cannot read ${name}`);
  return toBigInt(R[LO], R[HI]);
}

/** A system register's key, by name. */
export function sysRegKey(name: string): number {
  const d = SYSREG_BY_NAME.get(name);
  if (d === undefined) throw new Error(`no system register ${name}`);
  return d.key;
}

/** MRS at the core's own EL; the access must be permitted. */
export function mrs(c: Cpu, name: string): bigint {
  expect(c.sys.read(c, sysRegKey(name)), `MRS ${name}`).toBe(true);
  return toBigInt(R[LO], R[HI]);
}

/** MSR at the core's own EL; the access must be permitted. */
export function msr(c: Cpu, name: string, v: bigint | number): void {
  const b = BigInt.asUintN(64, BigInt(v));
  expect(c.sys.write(c, sysRegKey(name), Number(b & 0xffffffffn) | 0, Number(b >> 32n) | 0), `MSR ${name}`).toBe(true);
}

/** Write a system register from the test whatever the core's EL (as if at EL2). */
export function sysw(c: Cpu, name: string, v: bigint): void {
  const el = c.el; c.el = 2;
  const ok = c.sys.write(c, sysRegKey(name), Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0);
  c.el = el;
  if (!ok) throw new Error(`cannot write ${name}`);
}

/** Memory contents: [physical address, bytes, value] (little-endian). */
export type Mem = [addr: number, bytes: number, value: bigint][];
export interface MemInit { x?: Record<number, bigint>; sp?: bigint; mem?: Mem; el?: number; sys?: Record<string, bigint> }
export interface MemWant { x?: Record<number, bigint>; sp?: bigint; mem?: Mem; pc?: bigint }

/** For loads and stores: run words[start..start+count) from the given registers, system registers and
 * memory, then check `want`; every register not named in want.x / want.sp must be unchanged, as in
 * exec(), and the memory named in want.mem must hold those values. */
export function execMem(words: number[], init: MemInit, want: MemWant, start = 0, count = words.length - start): Cpu {
  const { c } = machineWith(words, { el: init.el });
  c.pcLo = CODE + 4 * start;
  for (const [name, v] of Object.entries(init.sys ?? {})) sysw(c, name, v);
  for (const [r, v] of Object.entries(init.x ?? {})) setX(c, Number(r), v);
  if (init.sp !== undefined) setX(c, 32, init.sp);
  for (const [a, b, v] of init.mem ?? []) poke(c, a, b, v);
  const before = snapshot(c);
  c.run(count);
  const after = snapshot(c);
  const expected: RegState = { ...before, x: [...before.x] };
  for (const [r, v] of Object.entries(want.x ?? {})) expected.x[Number(r)] = BigInt.asUintN(64, v);
  if (want.sp !== undefined) expected.sp = BigInt.asUintN(64, want.sp);
  const hex = (s: RegState) => ({ x: s.x.map((v) => '0x' + v.toString(16)), sp: '0x' + s.sp.toString(16), nzcv: s.nzcv });
  expect(hex(after)).toEqual(hex(expected));
  for (const [a, b, v] of want.mem ?? []) {
    expect(`0x${a.toString(16)}: 0x${peek(c, a, b).toString(16)}`).toBe(`0x${a.toString(16)}: 0x${BigInt.asUintN(8 * b, v).toString(16)}`);
  }
  if (want.pc !== undefined) expect('0x' + pc(c).toString(16)).toBe('0x' + want.pc.toString(16));
  return c;
}

/** Distinct background values, so reading the wrong register shows. */
const bg = (r: number): bigint => BigInt.asUintN(64, 0x9e3779b97f4a7c15n * BigInt(r + 3) + 0x1234567n);
const SP_BG = 0x7_fff0_1230n;

export interface BulkCase {
  word: number;
  x?: Record<number, bigint>;
  sp?: bigint;
  nzcv?: number;
  want: { x?: Record<number, bigint>; sp?: bigint; nzcv?: number };
  label?: string;
}

/**
 * Many single-instruction cases on one machine (a machine per case is slow). Every register starts
 * from a distinct background value; everything not named in `want` must stay unchanged, and the
 * instruction must not take an exception.
 */
export function bulk(cases: BulkCase[]): void {
  const { c } = machineWith(cases.map((k) => k.word));
  const bad: string[] = [];
  const show = (st: RegState): string[] => [...st.x.map((v, r) => `x${r}=${v.toString(16)}`), `sp=${st.sp.toString(16)}`, `nzcv=${st.nzcv.toString(2)}`];
  cases.forEach((k, idx) => {
    for (let r = 0; r < 31; r++) setX(c, r, bg(r));
    setX(c, 32, k.sp ?? SP_BG);
    c.nzcv = k.nzcv ?? 0;
    for (const [r, v] of Object.entries(k.x ?? {})) setX(c, Number(r), v);
    const before = snapshot(c);
    c.pcLo = CODE + 4 * idx; c.pcHi = 0;
    c.run(1);
    const after = snapshot(c);
    const exp: RegState = { x: [...before.x], sp: before.sp, nzcv: before.nzcv };
    for (const [r, v] of Object.entries(k.want.x ?? {})) exp.x[Number(r)] = BigInt.asUintN(64, v);
    if (k.want.sp !== undefined) exp.sp = BigInt.asUintN(64, k.want.sp);
    if (k.want.nzcv !== undefined) exp.nzcv = k.want.nzcv;
    const a = show(after), e = show(exp);
    const diff = a.filter((t, j) => t !== e[j]).map((t) => `${t} (want ${e[a.indexOf(t)]})`);
    if (pc(c) !== BigInt(CODE + 4 * idx + 4)) diff.push(`pc=${pc(c).toString(16)}: exception?`);
    if (diff.length > 0) bad.push(`${k.label ?? ''} [${(k.word >>> 0).toString(16)}] ${diff.join(', ')}`);
  });
  expect(bad.slice(0, 20)).toEqual([]);
}
