// The registers gdb sees, and the target description (target.xml) announcing them: GDB's standard
// org.gnu.gdb.aarch64.core and .fpu features, and a feature of our own with the system registers.
//
// Register numbers: x0-x30 0-30, sp 31, pc 32, cpsr 33, v0-v31 34-65, fpsr 66, fpcr 67, then the
// system registers from 68 in the order of sysRegList().

import { Cpu, SP } from '../cpu/cpu.js';
import { R, LO, HI } from '../cpu/int64.js';
import { FPCR_MASK, FPSR_MASK, SYSREG_DEFS, SysRegDef, slotOfKey } from '../cpu/sysregs.js';
import { hex32le, hex64le, parseLeWords } from './packets.js';

export const REG_SP = 31, REG_PC = 32, REG_CPSR = 33, REG_V0 = 34, REG_FPSR = 66, REG_FPCR = 67, REG_SYS0 = 68;
/** Registers in a 'g' packet: core and FP/SIMD. */
export const G_REGS = 68;

/** System registers whose read hook has no side effect and cannot trap (the others with hooks, such
 * as ICC_IAR1_EL1 which acknowledges an interrupt, are left out). */
const PURE_READS = new Set(['NZCV', 'DAIF', 'CurrentEL', 'SPSel', 'SP_EL0', 'SP_EL1', 'MPIDR_EL1', 'ID_AA64PFR0_EL1', 'ISR_EL1']);

let sysList: SysRegDef[] | undefined;

/** The system registers shown to gdb: every plain (stored) one and the pure computed ones. */
export function sysRegList(): SysRegDef[] {
  sysList ??= [...SYSREG_DEFS.values()].filter((d) => /^[A-Za-z][A-Za-z0-9_]*$/.test(d.name) && !d.writeOnly && !d.fp &&
    (d.read === undefined || PURE_READS.has(d.name)));
  return sysList;
}

export function targetXml(): string {
  const core = [...Array.from({ length: 31 }, (_, k) => `<reg name="x${k}" bitsize="64" regnum="${k}"/>`),
    '<reg name="sp" bitsize="64" type="data_ptr" regnum="31"/>',
    '<reg name="pc" bitsize="64" type="code_ptr" regnum="32"/>',
    '<reg name="cpsr" bitsize="32" regnum="33"/>'].join('');
  const fpuTypes = '<vector id="v2d" type="ieee_double" count="2"/><vector id="v2u" type="uint64" count="2"/>' +
    '<vector id="v2i" type="int64" count="2"/><vector id="v4f" type="ieee_single" count="4"/>' +
    '<vector id="v4u" type="uint32" count="4"/><vector id="v4i" type="int32" count="4"/>' +
    '<vector id="v8u" type="uint16" count="8"/><vector id="v8i" type="int16" count="8"/>' +
    '<vector id="v16u" type="uint8" count="16"/><vector id="v16i" type="int8" count="16"/>' +
    '<vector id="v1u" type="uint128" count="1"/><vector id="v1i" type="int128" count="1"/>' +
    '<union id="vnd"><field name="f" type="v2d"/><field name="u" type="v2u"/><field name="s" type="v2i"/></union>' +
    '<union id="vns"><field name="f" type="v4f"/><field name="u" type="v4u"/><field name="s" type="v4i"/></union>' +
    '<union id="vnh"><field name="u" type="v8u"/><field name="s" type="v8i"/></union>' +
    '<union id="vnb"><field name="u" type="v16u"/><field name="s" type="v16i"/></union>' +
    '<union id="vnq"><field name="u" type="v1u"/><field name="s" type="v1i"/></union>' +
    '<union id="aarch64v"><field name="d" type="vnd"/><field name="s" type="vns"/><field name="h" type="vnh"/>' +
    '<field name="b" type="vnb"/><field name="q" type="vnq"/></union>';
  const fpu = fpuTypes + Array.from({ length: 32 }, (_, k) => `<reg name="v${k}" bitsize="128" type="aarch64v" regnum="${REG_V0 + k}"/>`).join('') +
    `<reg name="fpsr" bitsize="32" regnum="${REG_FPSR}"/><reg name="fpcr" bitsize="32" regnum="${REG_FPCR}"/>`;
  const sys = sysRegList().map((d, k) => `<reg name="${d.name.toLowerCase()}" bitsize="64" regnum="${REG_SYS0 + k}" group="system"/>`).join('');
  return '<?xml version="1.0"?><!DOCTYPE target SYSTEM "gdb-target.dtd"><target version="1.0">' +
    '<architecture>aarch64</architecture>' +
    `<feature name="org.gnu.gdb.aarch64.core">${core}</feature>` +
    `<feature name="org.gnu.gdb.aarch64.fpu">${fpu}</feature>` +
    `<feature name="org.a64emu.sysregs">${sys}</feature></target>`;
}

/** Register n of core c as little-endian hex, or undefined for no such register. */
export function readReg(c: Cpu, n: number): string | undefined {
  if (n >= 0 && n <= 30) return hex64le(c.x[2 * n], c.x[2 * n + 1]);
  if (n === REG_SP) return hex64le(c.x[2 * SP], c.x[2 * SP + 1]);
  if (n === REG_PC) return hex64le(c.pcLo, c.pcHi);
  if (n === REG_CPSR) return hex32le(c.pstate);
  if (n >= REG_V0 && n < REG_V0 + 32) {
    const b = (n - REG_V0) * 4;
    return hex32le(c.vw[b]) + hex32le(c.vw[b + 1]) + hex32le(c.vw[b + 2]) + hex32le(c.vw[b + 3]);
  }
  if (n === REG_FPSR) return hex32le(c.fpsr);
  if (n === REG_FPCR) return hex32le(c.fpcr);
  const d = sysRegList()[n - REG_SYS0];
  if (d === undefined) return undefined;
  if (d.read !== undefined) { d.read(c); return hex64le(R[LO], R[HI]); }
  const s = slotOfKey(d.key);
  return hex64le(c.sys.get(s), c.sys.getHi(s));
}

/** Write register n of core c from little-endian hex; false when the value or register is bad. */
export function writeReg(c: Cpu, n: number, h: string): boolean {
  const words = n >= REG_V0 && n < REG_V0 + 32 ? 4 : n === REG_CPSR || n === REG_FPSR || n === REG_FPCR ? 1 : 2;
  const w = parseLeWords(h, words);
  if (w === undefined) return false;
  if (n >= 0 && n <= 30) { c.x[2 * n] = w[0]; c.x[2 * n + 1] = w[1]; return true; }
  if (n === REG_SP) { c.x[2 * SP] = w[0]; c.x[2 * SP + 1] = w[1]; return true; }
  if (n === REG_PC) { c.pcLo = w[0]; c.pcHi = w[1]; return true; }
  if (n === REG_CPSR) { // the flags and masks; the EL and SP selection are not changed from gdb
    c.nzcv = w[0] >>> 28;
    c.daif = (w[0] >>> 6) & 0xf;
    c.sys.onDaifChange(c);
    return true;
  }
  if (n >= REG_V0 && n < REG_V0 + 32) { const b = (n - REG_V0) * 4; for (let k = 0; k < 4; k++) c.vw[b + k] = w[k]; return true; }
  if (n === REG_FPSR) { c.fpsr = w[0] & FPSR_MASK; return true; }
  if (n === REG_FPCR) { c.fpcr = w[0] & FPCR_MASK; return true; }
  const d = sysRegList()[n - REG_SYS0];
  if (d === undefined || d.readOnly) return false;
  if (d.write !== undefined) d.write(c, w[0], w[1]); // as MSR does (SCTLR, TTBR... tell the MMU)
  else if (d.read !== undefined) return false;
  else c.sys.store(slotOfKey(d.key), w[0], w[1]);
  c.resetFetch();
  return true;
}
