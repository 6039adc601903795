// Arm ARM C4.1.3: Branches, Exception Generating and System instructions.

import { Cpu, EC, Flow, Sleep } from '../cpu.js';
import { enc, Encoding, Insn } from '../insn.js';
import { R, LO, HI } from '../int64.js';
import { SYSREG_FP_TRAP, SYSREG_TRAP, sysRegIss } from '../sysregs.js';

/** Sign-extend the low `bits` of v. */
export function sext(v: number, bits: number): number {
  const s = 32 - bits;
  return (v << s) >> s;
}

// ---------------------------------------------------------------- unconditional branch (immediate)

function prepImm26(i: Insn): boolean { i.aux0 = sext(i.imm, 26) * 4; return true; }
function prepImm19(i: Insn): boolean { i.aux0 = sext(i.imm, 19) * 4; return true; }
function prepImm14(i: Insn): boolean { i.aux0 = sext(i.imm, 14) * 4; i.aux1 = (i.o << 5) | i.imm2; return true; }

function B(c: Cpu, i: Insn): void {
  c.pcRel(i.aux0);
  c.jump(R[LO], R[HI]);
}

function BL(c: Cpu, i: Insn): void {
  c.pcRel(4);
  c.x[2 * 30] = R[LO]; c.x[2 * 30 + 1] = R[HI];
  c.pcRel(i.aux0);
  c.jump(R[LO], R[HI]);
}

// ---------------------------------------------------------------- conditional branches, compare and test

function B_cond(c: Cpu, i: Insn): void {
  if (c.condHolds(i.cond)) { c.pcRel(i.aux0); c.jump(R[LO], R[HI]); }
}

function CBZ(c: Cpu, i: Insn): void {
  const z = i.sf !== 0 ? (c.x[2 * i.rt] | c.x[2 * i.rt + 1]) === 0 : c.x[2 * i.rt] === 0;
  if (z) { c.pcRel(i.aux0); c.jump(R[LO], R[HI]); }
}

function CBNZ(c: Cpu, i: Insn): void {
  const z = i.sf !== 0 ? (c.x[2 * i.rt] | c.x[2 * i.rt + 1]) === 0 : c.x[2 * i.rt] === 0;
  if (!z) { c.pcRel(i.aux0); c.jump(R[LO], R[HI]); }
}

function testBit(c: Cpu, i: Insn): number {
  const b = i.aux1;
  return b >= 32 ? (c.x[2 * i.rt + 1] >>> (b - 32)) & 1 : (c.x[2 * i.rt] >>> b) & 1;
}

function TBZ(c: Cpu, i: Insn): void {
  if (testBit(c, i) === 0) { c.pcRel(i.aux0); c.jump(R[LO], R[HI]); }
}

function TBNZ(c: Cpu, i: Insn): void {
  if (testBit(c, i) !== 0) { c.pcRel(i.aux0); c.jump(R[LO], R[HI]); }
}

// ---------------------------------------------------------------- unconditional branch (register)

function BR(c: Cpu, i: Insn): void {
  c.jump(c.x[2 * i.rn], c.x[2 * i.rn + 1]);
}

function BLR(c: Cpu, i: Insn): void {
  const l = c.x[2 * i.rn], h = c.x[2 * i.rn + 1]; // read before writing X30 (BLR X30)
  c.pcRel(4);
  c.x[2 * 30] = R[LO]; c.x[2 * 30 + 1] = R[HI];
  c.jump(l, h);
}

function ERET(c: Cpu): void {
  if (c.el === 0) { c.undefinedInstruction(); return; }
  c.eret();
  c.event = 1; // an exception return sets the event register (Arm ARM D1.16.1)
}

// ---------------------------------------------------------------- exception generation

/** Preferred return is the next instruction (SVC, HVC, and SMC when not trapped). The instruction
 * counts as stepped: SSAdvance() clears PSTATE.SS, so SPSR.SS = 0 (the step exception comes after
 * the handler returns). */
function returnToNext(c: Cpu): void {
  c.ss = 0;
  c.pcRel(4);
  c.pcLo = R[LO]; c.pcHi = R[HI];
}

function SVC(c: Cpu, i: Insn): void {
  returnToNext(c);
  c.takeSync(c.el === 0 ? 1 : c.el, EC.SVC64, i.imm, false);
}

function HVC(c: Cpu, i: Insn): void {
  if (c.el === 0) { c.undefinedInstruction(); return; }
  if (c.env.callFirmware(c, false, i.imm)) return;
  if (!c.hasEl2) { c.undefinedInstruction(); return; }
  returnToNext(c);
  c.takeSync(2, EC.HVC64, i.imm, false);
}

function SMC(c: Cpu, i: Insn): void {
  if (c.el === 0) { c.undefinedInstruction(); return; }
  // HCR_EL2.TSC (bit 19) traps SMC from EL1 to EL2, with the SMC itself as the return address.
  if (c.el === 1 && c.hasEl2 && (c.sys.hcrEl2Lo & (1 << 19)) !== 0) {
    c.takeSync(2, EC.SMC64, i.imm, false);
    return;
  }
  if (c.env.callFirmware(c, true, i.imm)) return;
  c.undefinedInstruction(); // no EL3 here
}

function BRK(c: Cpu, i: Insn): void {
  c.takeSync(c.el === 0 ? 1 : c.el, EC.BRK64, i.imm, false);
}

function HLT(c: Cpu, i: Insn): void {
  if (c.env.hlt(c, i.imm)) return;
  c.undefinedInstruction(); // halting debug is not enabled, so HLT is UNDEFINED
}

// ---------------------------------------------------------------- hints, barriers, PSTATE

function NOP(): void {}

/** WFE/WFI at EL0 trap to EL1 when SCTLR_EL1.nTWE (bit 18) / nTWI (bit 16) is 0, and at EL0 or EL1
 * to EL2 when HCR_EL2.TWE (bit 14) / TWI (bit 13) is 1: EC 0x01, ISS with CV = 1, COND = 0b1110 and
 * TI = 1 for WFE. */
function wfxTrapped(c: Cpu, wfe: boolean): boolean {
  let target = 0;
  if (c.el === 0 && (c.sys.sctlrEl1 & (wfe ? 1 << 18 : 1 << 16)) === 0) target = 1;
  else if (c.el <= 1 && c.hasEl2 && (c.sys.hcrEl2Lo & (wfe ? 1 << 14 : 1 << 13)) !== 0) target = 2;
  if (target === 0) return false;
  c.takeSync(target, EC.WFx, 0x1e00000 | (wfe ? 1 : 0), false);
  return true;
}

function WFE(c: Cpu): void {
  if (c.event !== 0) { c.event = 0; return; }
  if (wfxTrapped(c, true)) return;
  c.sleep = Sleep.WFE;
  c.wfeSleeps++;
  c.nextAndExit();
}

function WFI(c: Cpu): void {
  if (wfxTrapped(c, false)) return;
  // A pending interrupt completes WFI at once, even when PSTATE masks it.
  const g = c.gicc;
  if (g !== null && (g.irq || g.fiq)) return;
  c.sleep = Sleep.WFI;
  c.nextAndExit();
}

function SEV(c: Cpu): void { c.env.sendEvent(c); }
function SEVL(c: Cpu): void { c.event = 1; }
function YIELD(c: Cpu): void { c.nextAndExit(); } // give the scheduler a chance to run another core

function CLREX(c: Cpu): void { c.exclPa = -1; }

/** DMB and DSB: cores run one at a time in program order, so memory is always coherent; nothing to do. */
function BARRIER(): void {}

/** ISB: leave the block. Nothing cached needs dropping: system register writes that change
 * translation take effect (and drop the fetch and data-access caches) when written, TLB maintenance
 * when executed, and written code is invalidated word by word when stored. */
function ISB(c: Cpu): void { c.nextAndExit(); }

/** MSR (immediate) to a PSTATE field: op1 in opc, CRm in imm, op2 in imm2. */
function MSR_imm(c: Cpu, i: Insn): void {
  const field = (i.opc << 3) | i.imm2;
  if (field === 0b000101) { // SPSel
    if (c.el === 0) { c.undefinedInstruction(); return; }
    c.selectSp(c.el, i.imm & 1);
    return;
  }
  if (field === 0b011110 || field === 0b011111) { // DAIFSet, DAIFClr
    if (c.el === 0 && (c.sys.sctlrEl1 & (1 << 9)) === 0) { // SCTLR_EL1.UMA
      c.takeSync(1, EC.SysReg, insnIss(i, false), false);
      return;
    }
    c.daif = field === 0b011110 ? c.daif | i.imm : c.daif & ~i.imm;
    c.sys.onDaifChange(c);
    c.nextAndExit(); // interrupt masks changed: check for pending interrupts now
    return;
  }
  c.undefinedInstruction(); // PAN, UAO, DIT, SSBS... are not implemented (ARMv8.0 + LSE)
}

/** ISS for this trapped MSR/MRS/system instruction (EC 0x18), from its encoding. */
function insnIss(i: Insn, read: boolean): number {
  const w = i.word;
  return sysRegIss((w >>> 19) & 3, (w >>> 16) & 7, (w >>> 12) & 15, (w >>> 8) & 15, (w >>> 5) & 7, w, read);
}

// ---------------------------------------------------------------- system register moves and SYS

/** A system register access that was refused: UNDEFINED, or trapped to EL1 by an EL1 control. */
function sysRegRefused(c: Cpu, i: Insn, read: boolean): void {
  if (c.sys.refusal === SYSREG_TRAP) c.takeSync(1, EC.SysReg, insnIss(i, read), false);
  else if (c.sys.refusal === SYSREG_FP_TRAP) c.takeSync(c.sys.fpTrapEl, EC.FPAccess, 0x1e00000, false); // FPCR/FPSR: ISS CV = 1, COND = 1110
  else c.undefinedInstruction();
}

function MRS(c: Cpu, i: Insn): void {
  if (!c.sys.read(c, (1 << 15) | i.imm)) { sysRegRefused(c, i, true); return; }
  c.setX(i.rt, R[LO], R[HI]);
}

function MSR_reg(c: Cpu, i: Insn): void {
  const t = i.rt;
  if (!c.sys.write(c, (1 << 15) | i.imm, c.x[2 * t], c.x[2 * t + 1])) { sysRegRefused(c, i, false); return; }
  if (c.flow === Flow.Next) c.nextAndExit(); // a system register write may change interrupt or translation state
}

function SYS(c: Cpu, i: Insn): void {
  if (!c.sys.sysInstr(c, (1 << 14) | i.imm, i.rt)) sysRegRefused(c, i, false);
}

function UNDEF(c: Cpu): void { c.undefinedInstruction(); }

export const BRANCH_SYS: Encoding[] = [
  enc('000101 iiiiiiiiiiiiiiiiiiiiiiiiii', 'B', B, prepImm26),
  enc('100101 iiiiiiiiiiiiiiiiiiiiiiiiii', 'BL', BL, prepImm26),
  enc('01010100 iiiiiiiiiiiiiiiiiii 0 cccc', 'B.cond', B_cond, prepImm19),
  enc('z011010 0 iiiiiiiiiiiiiiiiiii ttttt', 'CBZ', CBZ, prepImm19),
  enc('z011010 1 iiiiiiiiiiiiiiiiiii ttttt', 'CBNZ', CBNZ, prepImm19),
  enc('p011011 0 jjjjj iiiiiiiiiiiiii ttttt', 'TBZ', TBZ, prepImm14),
  enc('p011011 1 jjjjj iiiiiiiiiiiiii ttttt', 'TBNZ', TBNZ, prepImm14),
  enc('1101011 0000 11111 000000 nnnnn 00000', 'BR', BR),
  enc('1101011 0001 11111 000000 nnnnn 00000', 'BLR', BLR),
  enc('1101011 0010 11111 000000 nnnnn 00000', 'RET', BR),
  enc('1101011 0100 11111 000000 11111 00000', 'ERET', ERET),
  // Pointer authentication (BRAA, RETAA, ERETAA...) and DRPS are not in ARMv8.0: left unallocated.

  enc('11010100 000 iiiiiiiiiiiiiiii 000 01', 'SVC', SVC),
  enc('11010100 000 iiiiiiiiiiiiiiii 000 10', 'HVC', HVC),
  enc('11010100 000 iiiiiiiiiiiiiiii 000 11', 'SMC', SMC),
  enc('11010100 001 iiiiiiiiiiiiiiii 000 00', 'BRK', BRK),
  enc('11010100 010 iiiiiiiiiiiiiiii 000 00', 'HLT', HLT),
  // DCPS1-3 are UNDEFINED outside Debug state.
  enc('11010100 101 iiiiiiiiiiiiiiii 000 jj', 'DCPS', UNDEF),

  // Hints: the unallocated ones behave as NOP (Arm ARM C6.2.107 HINT).
  enc('11010101 00000011 0010 iiiiiii 11111', 'HINT', NOP),
  enc('11010101 00000011 0010 0000000 11111', 'NOP', NOP, undefined, 1),
  enc('11010101 00000011 0010 0000001 11111', 'YIELD', YIELD, undefined, 1),
  enc('11010101 00000011 0010 0000010 11111', 'WFE', WFE, undefined, 1),
  enc('11010101 00000011 0010 0000011 11111', 'WFI', WFI, undefined, 1),
  enc('11010101 00000011 0010 0000100 11111', 'SEV', SEV, undefined, 1),
  enc('11010101 00000011 0010 0000101 11111', 'SEVL', SEVL, undefined, 1),
  enc('11010101 00000011 0011 iiii 010 11111', 'CLREX', CLREX),
  enc('11010101 00000011 0011 iiii 100 11111', 'DSB', BARRIER),
  enc('11010101 00000011 0011 iiii 101 11111', 'DMB', BARRIER),
  enc('11010101 00000011 0011 iiii 110 11111', 'ISB', ISB),
  enc('11010101 00000 ooo 0100 iiii jjj 11111', 'MSR_imm', MSR_imm),

  enc('1101010100 0 01 iiiiiiiiiiiiii ttttt', 'SYS', SYS),
  enc('1101010100 1 01 iiiiiiiiiiiiii ttttt', 'SYSL', UNDEF), // no SYSL operations are defined in ARMv8.0
  enc('1101010100 0 1 iiiiiiiiiiiiiii ttttt', 'MSR_reg', MSR_reg),
  enc('1101010100 1 1 iiiiiiiiiiiiiii ttttt', 'MRS', MRS),
];
