// The trace event stream. The CPU's traced loop (Cpu.innerTraced, used only while Cpu.tracer is set)
// and the board's hooks call in here; the filter is applied on raw numbers first, and only events that
// pass reach a TraceWriter (./binary.ts, ./tarmac.ts or ./jsonl.ts), which streams them to a file.

import type { Cpu } from '../cpu/cpu.js';
import type { Insn } from '../cpu/insn.js';
import { SPLIT } from '../cpu/mmu.js';
import { toBigInt } from '../cpu/int64.js';
import { CodeLocation, OtherEvent, TraceWriter, WakeCause, SleepWhy, hexTrim, REG_SP, REG_CPSR, REG_FPCR, REG_FPSR, DisasmFn, disassemble } from './events.js';
export type { DisasmFn } from './events.js';
import { TraceFilter, NO_FILTER, inRanges, parseFilters, SymbolRange } from './filter.js';
import { JsonlWriter } from './jsonl.js';
import { TarmacWriter } from './tarmac.js';
import { BinaryWriter } from './binary.js';
import { loadDisassembler } from '../asm/disassembler.js';

const EMPTY = new Uint8Array(0);

/**
 * What the tracer knows of one instruction at one address, made once (cached on the Insn) so that
 * the per-instruction work is a few field reads. `id` numbers the code locations in the order the
 * tracer first met them (the binary format refers to code by it).
 */
export class CodeInfo implements CodeLocation {
  /** Per writer: text of the parts that depend only on the location, word, EL and SP selection. */
  readonly cache = { key: -1, a: EMPTY, b: EMPTY };
  constructor(
    /** The tracer that made it (an Insn may outlive one tracer and meet another). */
    readonly owner: Tracer,
    readonly id: number,
    readonly pcLo: number, readonly pcHi: number, readonly word: number,
    private readonly disasm: DisasmFn | null, readonly sym: string | undefined,
    /** The PC passes the address filter. */
    readonly inRange: boolean,
    /** A conditional branch (BRANCHES index + 1: B.cond, CBZ, CBNZ, TBZ, TBNZ), or 0. Not taken,
     * Fast Models write it as IS (condition failed). */
    readonly branch: number,
    /** WFE or WFI. */
    readonly isWfx: boolean,
    /** Registers (register numbers, SP being 32) the instruction writes (exact) or can write, or
     * null: compare them all. */
    readonly regs: Int8Array | null,
    /** regs are exactly the registers the instruction writes whenever it completes (they are reported
     * whether their values change or not, as Fast Models do); otherwise a superset, compared. */
    readonly exact: boolean,
    /** Whether it writes PSTATE: PS_NONE, PS_WRITES (always; reported) or PS_MAYBE (compared). */
    readonly ps: number,
    /** SIMD&FP registers it can write: a mask of V0..V31, and FP_FPSR / FP_FPCR (fpWrites); compared. */
    readonly vmask = 0,
    readonly fpst = 0,
  ) {
    this.fast = exact && regs !== null && regs.length <= 2 && vmask === 0 && fpst === 0;
    this.reg0 = regs !== null && regs.length > 0 ? regs[0] : -1;
    this.reg1 = regs !== null && regs.length > 1 ? regs[1] : -1;
  }

  private text: string | undefined;

  /** Disassembly, made when a writer first asks (the binary format does not: its readers disassemble). */
  get dis(): string {
    if (this.text === undefined) this.text = disassemble(this.disasm, this.word, this.pcLo, this.pcHi);
    return this.text;
  }

  /** For end()'s short path: the instruction writes exactly reg0 and reg1 (-1: none), at most two. */
  readonly fast: boolean;
  readonly reg0: number;
  readonly reg1: number;
}

/** Instructions handled by the board (PSCI over HVC/SMC, semihosting over HLT) can write any register. */
const ANY_REG = /^(HVC|SMC|HLT)$/;
/** Instructions that always write NZCV. */
const SETS_FLAGS = /^(ADDS|SUBS|ANDS|BICS|ADCS|SBCS|CCMN|CCMP|FCMPE?|FCCMPE?)_/;
/** PSTATE writes (CodeInfo.ps): none, always (an R cpsr line each time), or perhaps (compared). */
export const PS_NONE = 0, PS_WRITES = 1, PS_MAYBE = 2;
/** Data processing: writes Rd only (index 32 where Rd names SP), and cannot take an exception. */
const WRITES_RD = new RegExp('^(ADDS?|SUBS?|ANDS?|ORR|EOR|EON|ORN|BICS?|ADCS?|SBCS?|MOV[ZNK]|S?BFM|UBFM|EXTR|CS(EL|INC|INV|NEG)|' +
  '[SU]?M(ADD|SUB)L?|[SU]MULH|[SU]DIV|(LSL|LSR|ASR|ROR)V|CL[ZS]|RBIT|REV(16|32)?|CRC32C?[BHWX]|ADRP?)(_|$)');
/** Branches without link, conditional compares, hints that cannot trap, and stores without writeback
 * (a store that faults aborts, and gets a full comparison): write no register. */
const WRITES_NONE = new RegExp('^(B|B\\.cond|CBN?Z|TBN?Z|BR|RET|NOP|HINT|YIELD|SEVL?|WF[EI]|DMB|DSB|ISB|CLREX|CCM[NP]_\\w+|' +
  'STR(B|H|_[wx])_(uimm|reg)|STUR(B|H|_[wx])|STTR(B|H|_[wx])|STLR|STP_off|STNP|PRFM_\\w+|PRFUM)$');
const SIZES = '(B|H|SB_[wx]|SH_[wx]|SW|_[wx])';
/** Loads without writeback: write Rt. */
const WRITES_RT = new RegExp(`^(LDR${SIZES}_(uimm|reg)|LDR(SW)?_lit|LDUR${SIZES}|LDTR${SIZES}|LDAR|LDAPR|LDA?XR|` +
  'LD(ADD|CLR|EOR|SET|SMAX|SMIN|UMAX|UMIN)A?L?|SWPA?L?)$');
/** Loads with writeback: Rt and the base register. */
const WRITES_RT_BASE = new RegExp(`^LDR${SIZES}_(post|pre)$`);
/** Pair loads: Rt and Rt2 (and the base register with writeback). */
const WRITES_PAIR = /^(LDP_off|LDPSW_off|LDNP|LDA?XP)$/;
const WRITES_PAIR_BASE = /^(LDP|LDPSW)_(post|pre)$/;
/** Stores with writeback: the base register. */
const WRITES_BASE = /^(STR(B|H|_[wx])_(post|pre)|STP_(post|pre))$/;
/** Store-exclusives and compare-and-swap: the status or compare register Rs (CASP: Rs and Rs+1). */
const WRITES_RS = /^(STL?XR|STL?XP|CASA?L?)$/;

/**
 * The registers an instruction writes (register numbers, SP being 32), by encoding class as above:
 * exactly those (exact: each is written whenever the instruction completes without an exception, so
 * it is reported even when its value does not change, as Fast Models do: a BL from one call site in
 * a loop gives R X30 each time). Past those classes, the superset of its register fields: Rd, Rn
 * (writeback), Rt, Rt2, Rs and Rs+1 (CASP), X30 (BL, BLR) and SP (writeback to SP, exception entry
 * and return, MSR SPSel), compared (only changed ones are reported); null for all of them. An
 * instruction that takes an exception gets a full comparison instead. test/trace/tracer-regs.test.ts
 * checks all this against a full comparison after every instruction of real programs and of every
 * oracle fixture case.
 */
function writtenRegs(insn: Insn): { regs: Int8Array | null; exact: boolean } {
  const n = insn.name;
  if (ANY_REG.test(n)) return { regs: null, exact: false };
  // SIMD&FP rows share names with integer ones (ADD, ORR, CLZ...), so they are told apart by their
  // encoding. A general register is written only as Rd by the few that move to one (UMOV, SMOV, FMOV
  // and FCVT* to a general register), or as a load/store's written-back base: compared.
  const space = simdFpSpace(insn.word);
  if (space === SIMDFP_DP) return { regs: Int8Array.from((insn.word & 31) === 31 ? [] : [insn.word & 31]), exact: false };
  if (space === SIMDFP_LDST) { const b = (insn.word >>> 5) & 31; return { regs: Int8Array.of(b === 31 ? 32 : b), exact: false }; }
  const base = insn.rn === 31 ? 32 : insn.rn; // a load/store base register 31 is SP
  const exact = WRITES_NONE.test(n) ? [] : WRITES_RD.test(n) ? [insn.rd] : n === 'BL' || n === 'BLR' ? [30]
    : WRITES_RT.test(n) || n === 'MRS' ? [insn.rt] : WRITES_RT_BASE.test(n) ? [insn.rt, base]
      : WRITES_PAIR.test(n) ? [insn.rt, insn.rt2] : WRITES_PAIR_BASE.test(n) ? [insn.rt, insn.rt2, base]
        : WRITES_BASE.test(n) ? [base] : WRITES_RS.test(n) ? [insn.rs] : /^CASPA?L?$/.test(n) ? [insn.rs, insn.rs + 1]
          : null;
  const regs = exact ?? [insn.rd, insn.rn, insn.rt, insn.rt2, insn.rs, insn.rs + 1, 30, 32];
  // In encoding order (Rt before Rt2 before the base, as Fast Models list them); 31 is XZR.
  return { regs: Int8Array.from([...new Set(regs)].filter((r) => (r >= 0 && r < 31) || r === 32)), exact: exact !== null };
}

/** Whether an instruction writes PSTATE (PS_*): the flag-setting ones, ERET, and MSR to the PSTATE
 * fields (DAIFSet, DAIFClr, SPSel; NZCV, DAIF and SPSel as registers) always; the board's any. */
function pstateWrite(insn: Insn): number {
  const n = insn.name, w = insn.word;
  if (ANY_REG.test(n)) return PS_MAYBE;
  if (simdFpSpace(w) !== 0) return /^FC?CMPE?_/.test(n) ? PS_WRITES : PS_NONE; // FCMP, FCCMP write NZCV
  if (SETS_FLAGS.test(n) || n === 'ERET') return PS_WRITES;
  if (n === 'MSR_imm') {
    const field = (insn.opc << 3) | insn.imm2; // op1:op2; other fields are UNDEFINED here (an exception)
    return field === 0b000101 || field === 0b011110 || field === 0b011111 ? PS_WRITES : PS_NONE;
  }
  if (n === 'MSR_reg') {
    // op0 (2 + o0), op1, CRn, CRm, op2: NZCV is 3,3,4,2,0; DAIF 3,3,4,2,1; SPSel 3,0,4,2,0.
    const enc = ((w >>> 5) & 0x7fff) | 0; // o0:op1:CRn:CRm:op2
    return enc === 0x5a10 || enc === 0x5a11 || enc === 0x4210 ? PS_WRITES : PS_NONE;
  }
  return PS_NONE;
}

const BRANCHES = ['B.cond', 'CBZ', 'CBNZ', 'TBZ', 'TBNZ'];

/** Before it executes: will conditional branch `kind` (CodeInfo.branch) not be taken? */
function notTaken(c: Cpu, insn: Insn, kind: number): boolean {
  if (kind === 1) return !c.condHolds(insn.cond);
  const t = insn.rt; // 31 is XZR, which reads 0
  if (kind <= 3) { // CBZ, CBNZ
    const zero = t === 31 || (insn.sf !== 0 ? (c.x[2 * t] | c.x[2 * t + 1]) === 0 : c.x[2 * t] === 0);
    return kind === 2 ? !zero : zero;
  }
  const b = (insn.o << 5) | insn.imm2; // TBZ, TBNZ: b5:b40
  const bit = t === 31 ? 0 : b >= 32 ? (c.x[2 * t + 1] >>> (b - 32)) & 1 : (c.x[2 * t] >>> b) & 1;
  return kind === 4 ? bit !== 0 : bit === 0;
}

const FP_FPSR = 1, FP_FPCR = 2;
const SIMDFP_DP = 1, SIMDFP_LDST = 2;

/** SIMDFP_DP for the SIMD&FP data processing space (op0 = x111), SIMDFP_LDST for a SIMD&FP load or
 * store (op0 = x1x0 with V = 1), else 0. */
function simdFpSpace(w: number): number {
  const op0 = (w >>> 25) & 15;
  if ((op0 & 7) === 7) return SIMDFP_DP;
  return (op0 & 5) === 4 && ((w >>> 26) & 1) === 1 ? SIMDFP_LDST : 0;
}

/**
 * The SIMD&FP registers an instruction can write, from its encoding alone, so that every class file's
 * rows are covered without a list of names: SIMD&FP data processing (op0 = x111) writes Vd (bits 4:0)
 * and the FPSR flags; a SIMD&FP load or store (op0 = x1x0 with V = 1) writes Vt to Vt+3 (structure
 * lists) and Vt2 (bits 14:10, pairs); MSR writes FPCR or FPSR. [vmask, FP_FPSR | FP_FPCR].
 */
function fpWrites(insn: Insn): [number, number] {
  const w = insn.word, space = simdFpSpace(w);
  if (space === SIMDFP_DP) return [1 << (w & 31), FP_FPSR];
  if (space === SIMDFP_LDST) {
    const t = w & 31;
    return [((1 << t) | (1 << ((t + 1) & 31)) | (1 << ((t + 2) & 31)) | (1 << ((t + 3) & 31)) | (1 << ((w >>> 10) & 31))) | 0, 0];
  }
  if (insn.name === 'MSR_reg') return [0, FP_FPSR | FP_FPCR];
  return [0, 0];
}

export class Tracer {
  /** Each core's V registers, FPCR and FPSR as of its last traced instruction. */
  private readonly shV: Int32Array[] = [];
  private readonly shFpcr: number[] = [];
  private readonly shFpsr: number[] = [];
  /** Each core's registers as of its last traced instruction (what register events compare with). */
  private readonly shX: Int32Array[] = [];
  /** PSTATE (SPSR format, as an int32). */
  private readonly shPs: number[] = [];
  /** Per core: its registers have been written out before its first instruction. */
  private readonly dumped: boolean[] = [];
  /** The core executing an instruction now, or null between blocks. */
  cur: Cpu | null = null;
  /** The current instruction's sequence number, time and EL. */
  seq = 0;
  time = 0;
  el = 0;
  private info: CodeInfo | null = null;
  /** The current instruction took an exception (without aborting: SVC, an UNDEFINED MSR...). */
  private excIn = false;
  /** Of the core in its block: time and sequence number less the instructions retired in the block. */
  private timeBase = 0;
  private seqBase = 0;
  /** Code locations by address, for an Insn met at more than one address (an alias mapping). */
  private readonly code = new Map<bigint, CodeInfo>();
  private nextId = 0;
  private readonly wantInsn: boolean;
  private readonly wantReg: boolean;
  private readonly wantMem: boolean;
  /** No core or EL filter: every core at every EL passes. */
  private readonly allCoresEls: boolean;
  /** No filter at all and no verifyRegs: end() may take its short path. */
  private plain: boolean;
  private closed = false;
  /** Testing aid: compare every register after every instruction too, and throw if the register
   * fields missed a write (see writtenRegs). */
  set verifyRegs(v: boolean) { this.verify = v; if (v) this.plain = false; }
  get verifyRegs(): boolean { return this.verify; }
  private verify = false;

  constructor(
    readonly writer: TraceWriter,
    readonly filter: TraceFilter = NO_FILTER,
    private readonly disasm: DisasmFn | null = null,
    private readonly symbolize: (addr: bigint) => string | undefined = () => undefined,
    /** Virtual time when no core is executing (the machine's round start). */
    private readonly idleTime: () => number = () => 0,
  ) {
    const k = filter.kinds;
    this.wantInsn = k === null || k.has('insn');
    this.wantReg = k === null || k.has('reg');
    this.wantMem = k === null || k.has('mem');
    this.allCoresEls = filter.cores === null && filter.els === null;
    this.plain = this.allCoresEls && k === null && filter.ranges === null;
  }

  /** Does core c (at EL el) pass the core and EL filters? */
  private coreElPass(core: number, el: number): boolean {
    if (this.allCoresEls) return true;
    const f = this.filter;
    return (f.cores === null || f.cores.has(core)) && (f.els === null || f.els.has(el));
  }

  /** Virtual time now: the executing core's counter, else the machine's. */
  now(): number {
    const c = this.cur;
    return c !== null ? c.env.counter(c) : this.idleTime();
  }

  // ---------------------------------------------------------------- per instruction (the traced loop)

  /** A core starts a block of instructions: take its registers as they are now (changes made between
   * blocks, such as exception entry for an interrupt, are not an instruction's doing). */
  enterBlock(c: Cpu): void {
    const id = c.id;
    while (this.shX.length <= id) { this.shX.push(new Int32Array(66)); this.shPs.push(0); this.dumped.push(false); }
    this.shX[id].set(c.x);
    this.shPs[id] = c.pstate | 0;
    while (this.shV.length <= id) { this.shV.push(new Int32Array(128)); this.shFpcr.push(0); this.shFpsr.push(0); }
    this.shV[id].set(c.vw);
    this.shFpcr[id] = c.fpcr; this.shFpsr[id] = c.fpsr;
    if (!this.dumped[id]) this.dump(c);
    // Within a block both clocks advance by one per instruction: the counter is the round's start plus
    // the instructions retired in this run() (Machine's CpuEnv.counter).
    this.timeBase = c.env.counter(c) - c.retiredInRun;
    this.seqBase = c.icount;
  }

  /** Before a core's first instruction in this trace, and again after each CPU_ON: all its registers,
   * as Fast Models write them at time 0 (R cpsr, X0..X30, and here SP too), so that readers know every
   * register from the start. These reg events belong to the core's last instruction (seq -1: none). */
  private dump(c: Cpu): void {
    const id = c.id;
    this.dumped[id] = true;
    if (!this.wantReg || !this.coreElPass(id, c.el)) return;
    const w = this.writer, seq = c.icount + c.retiredInRun - 1, time = c.env.counter(c), el = c.el, spsel = c.spsel;
    w.reg(id, seq, time, REG_CPSR, c.pstate | 0, 0, el, spsel);
    for (let r = 0; r < 31; r++) w.reg(id, seq, time, r, c.x[2 * r], c.x[2 * r + 1], el, spsel);
    w.reg(id, seq, time, REG_SP, c.x[2 * 32], c.x[2 * 32 + 1], el, spsel);
  }

  /** Before an instruction executes: write its insn event. */
  begin(c: Cpu, insn: Insn): void {
    this.cur = c;
    this.excIn = false;
    const seq = this.seq = this.seqBase + c.retiredInRun;
    const time = this.time = this.timeBase + c.retiredInRun;
    const el = this.el = c.el;
    const pcLo = c.pcLo, pcHi = c.pcHi;
    let info = insn.trace as CodeInfo | null;
    if (info === null || info.pcLo !== pcLo || info.pcHi !== pcHi || info.owner !== this) info = this.codeInfo(insn, pcLo, pcHi);
    this.info = info;
    if (!this.wantInsn || !info.inRange || !this.coreElPass(c.id, el)) return;
    this.writer.insn(c.id, seq, time, info, el, c.spsel, info.branch !== 0 && notTaken(c, insn, info.branch));
  }

  private codeInfo(insn: Insn, pcLo: number, pcHi: number): CodeInfo {
    const key = toBigInt(pcLo, pcHi); // exact: a double would give nearby high PCs one key
    let info = this.code.get(key);
    if (info === undefined || info.word !== insn.word) {
      const r = this.filter.ranges;
      const wfx = insn.name === 'WFE' || insn.name === 'WFI';
      const regs = writtenRegs(insn);
      const [vmask, fpst] = fpWrites(insn);
      info = new CodeInfo(
        this, this.nextId++, pcLo, pcHi, insn.word,
        this.disasm, this.symbolize(key), r === null || inRanges(r, pcLo, pcHi), BRANCHES.indexOf(insn.name) + 1, wfx,
        regs.regs, regs.exact, pstateWrite(insn), vmask, fpst,
      );
      this.code.set(key, info);
      this.writer.code?.(info);
    }
    insn.trace = info;
    return info;
  }

  /** After the instruction (or its abort): register writes and exclusive-monitor changes. The common
   * case (at most two registers written, no filter, no exception, monitor unchanged) comes first and
   * returns early. PSTATE comes first, as in Fast Models' traces. (One function on purpose: a small
   * one would be inlined into the traced loop, which V8 then optimizes worse.) psChanged: software
   * step's advance changed PSTATE.SS, which the instruction's class does not say it writes. */
  end(c: Cpu, exclPa0: number, fails0: number, aborted: boolean, psChanged = false): void {
    const info = this.info!;
    // An instruction that took an exception wrote no register of its own: exception entry did.
    const exc = aborted || this.excIn;
    if (info.fast && this.plain && !exc && !psChanged && c.exclFailures === fails0 && c.exclPa === exclPa0) {
      const id = c.id, w = this.writer, seq = this.seq, time = this.time;
      if (info.ps !== PS_NONE) { const ps = c.pstate | 0; this.shPs[id] = ps; w.reg(id, seq, time, REG_CPSR, ps, 0, c.el, c.spsel); }
      const r0 = info.reg0;
      if (r0 >= 0) {
        const x = c.x, sx = this.shX[id];
        let l = x[2 * r0], h = x[2 * r0 + 1];
        sx[2 * r0] = l; sx[2 * r0 + 1] = h; w.reg(id, seq, time, r0 === 32 ? REG_SP : r0, l, h, c.el, c.spsel);
        const r1 = info.reg1;
        if (r1 >= 0) { l = x[2 * r1]; h = x[2 * r1 + 1]; sx[2 * r1] = l; sx[2 * r1 + 1] = h; w.reg(id, seq, time, r1 === 32 ? REG_SP : r1, l, h, c.el, c.spsel); }
      }
      return;
    }
    const id = c.id;
    if (this.verify && !exc) this.checkRegs(c, info);
    if (this.wantReg && info.inRange && this.coreElPass(id, this.el)) {
      const x = c.x, sx = this.shX[id], w = this.writer;
      const seq = this.seq, time = this.time;
      const ps = c.pstate | 0;
      if (exc || psChanged || info.ps === PS_MAYBE ? ps !== this.shPs[id] : info.ps === PS_WRITES) { this.shPs[id] = ps; w.reg(id, seq, time, REG_CPSR, ps, 0, c.el, c.spsel); }
      const regs = exc ? null : info.regs, all = !exc && info.exact;
      if (regs !== null) {
        for (let k = 0; k < regs.length; k++) {
          const r = regs[k], l = x[2 * r], h = x[2 * r + 1];
          if (all || l !== sx[2 * r] || h !== sx[2 * r + 1]) { sx[2 * r] = l; sx[2 * r + 1] = h; w.reg(id, seq, time, r === 32 ? REG_SP : r, l, h, c.el, c.spsel); }
        }
      } else {
        for (let r = 0; r < 33; r++) {
          if (r === 31) continue;
          const l = x[2 * r], h = x[2 * r + 1];
          if (l !== sx[2 * r] || h !== sx[2 * r + 1]) { sx[2 * r] = l; sx[2 * r + 1] = h; w.reg(id, seq, time, r === 32 ? REG_SP : r, l, h, c.el, c.spsel); }
        }
      }
    } else if (this.wantReg) {
      // Not reported, but later instructions compare with these values.
      this.shX[id].set(c.x); this.shPs[id] = c.pstate | 0;
    }
    if (aborted || info.vmask !== 0 || info.fpst !== 0) this.fpEnd(c, info, aborted, this.wantReg && info.inRange && this.coreElPass(id, this.el));
    if (c.exclFailures !== fails0) this.other({ t: 'excl', core: id, time: this.time, op: 'fail', ...(exclPa0 >= 0 ? { pa: exclPa0 } : {}) }, this.el);
    else if (c.exclPa >= 0 && c.exclPa !== exclPa0) this.other({ t: 'excl', core: id, time: this.time, op: 'set', pa: c.exclPa }, this.el);
  }

  /** SIMD&FP register writes: the V registers of info.vmask (all of them after an abort), FPCR and
   * FPSR; report: write the events (else only update the shadow copies). */
  private fpEnd(c: Cpu, info: CodeInfo, aborted: boolean, report: boolean): void {
    const id = c.id, sv = this.shV[id], vw = c.vw, w = this.writer;
    const mask = aborted ? -1 : info.vmask;
    for (let n = 0; n < 32; n++) {
      if (((mask >>> n) & 1) === 0) continue;
      const b = n << 2, w0 = vw[b], w1 = vw[b + 1], w2 = vw[b + 2], w3 = vw[b + 3];
      if (w0 === sv[b] && w1 === sv[b + 1] && w2 === sv[b + 2] && w3 === sv[b + 3]) continue;
      sv[b] = w0; sv[b + 1] = w1; sv[b + 2] = w2; sv[b + 3] = w3;
      if (report) w.vreg?.(id, this.seq, this.time, n, w0, w1, w2, w3);
    }
    if (c.fpcr !== this.shFpcr[id]) { this.shFpcr[id] = c.fpcr; if (report) w.reg(id, this.seq, this.time, REG_FPCR, c.fpcr, 0, c.el, c.spsel); }
    if (c.fpsr !== this.shFpsr[id]) { this.shFpsr[id] = c.fpsr; if (report) w.reg(id, this.seq, this.time, REG_FPSR, c.fpsr, 0, c.el, c.spsel); }
  }

  /** verifyRegs: every register that differs from the shadow copy must be one writtenRegs (or, for
   * SIMD&FP registers, fpWrites) named. */
  private checkRegs(c: Cpu, info: CodeInfo): void {
    const sv = this.shV[c.id];
    // Only SIMD&FP instructions and MSR are checked for V, FPCR and FPSR writes (the integer handlers
    // cannot reach them, and the check costs as much again as the general registers').
    for (let n = 0; n < 32 && (info.vmask !== 0 || info.fpst !== 0); n++) {
      const b = n << 2;
      if (((info.vmask >>> n) & 1) !== 0 || (c.vw[b] === sv[b] && c.vw[b + 1] === sv[b + 1] && c.vw[b + 2] === sv[b + 2] && c.vw[b + 3] === sv[b + 3])) continue;
      throw new Error(`tracer: ${info.dis} at 0x${hexTrim(info.pcLo, info.pcHi)} wrote V${n}, which its register fields do not name`);
    }
    if ((info.vmask !== 0 || info.fpst !== 0) && ((c.fpsr !== this.shFpsr[c.id] && (info.fpst & FP_FPSR) === 0) || (c.fpcr !== this.shFpcr[c.id] && (info.fpst & FP_FPCR) === 0))) {
      throw new Error(`tracer: ${info.dis} at 0x${hexTrim(info.pcLo, info.pcHi)} changed FPCR or FPSR, which fpWrites does not expect`);
    }
    const sx = this.shX[c.id];
    for (let r = 0; r < 33; r++) {
      if (r === 31 || (c.x[2 * r] === sx[2 * r] && c.x[2 * r + 1] === sx[2 * r + 1])) continue;
      if (info.regs !== null && !info.regs.includes(r)) {
        throw new Error(`tracer: ${info.dis} at 0x${hexTrim(info.pcLo, info.pcHi)} wrote ${r === 32 ? 'SP' : `X${r}`}, which its register fields do not name`);
      }
    }
    if (info.ps === PS_NONE && (c.pstate | 0) !== this.shPs[c.id]) {
      throw new Error(`tracer: ${info.dis} at 0x${hexTrim(info.pcLo, info.pcHi)} changed PSTATE, which pstateWrite does not expect`);
    }
  }

  /** A data access by the executing core (from the traced read/write wrappers). */
  mem(c: Cpu, write: boolean, vlo: number, vhi: number, pa: number, size: number, lo: number, hi: number): void {
    if (!this.wantMem || !this.coreElPass(c.id, c.el)) return;
    const r = this.filter.ranges;
    if (r !== null && !inRanges(r, vlo, vhi)) return;
    if (pa === SPLIT) pa = c.sys.mmu.splitPa0;
    this.writer.mem(c.id, this.seq, this.time, write, vlo, vhi, pa, size, lo, hi);
  }

  // ---------------------------------------------------------------- other events

  /** Any other event; el is the EL the core is at (for the EL filter). */
  other(e: OtherEvent, el = -1): void {
    const f = this.filter;
    if (f.kinds !== null && !f.kinds.has(e.t)) return;
    if (f.cores !== null && !f.cores.has(e.core)) return;
    if (f.els !== null && el >= 0 && !f.els.has(el)) return;
    this.writer.other(e);
  }

  /** Exception entry (after it: PSTATE, the EL and SP are the handler's): the exc event, then PSTATE
   * (R cpsr after the E line, as Fast Models write it), tied to the instruction that took it or, for
   * an interrupt, to the core's last instruction. */
  exception(c: Cpu, kind: number, from: number, to: number, esr: number, elrLo: number, elrHi: number, vecLo: number, vecHi: number): void {
    const inInsn = this.cur === c;
    if (inInsn) this.excIn = true;
    const time = inInsn ? this.time : c.env.counter(c);
    this.other({
      t: 'exc', core: c.id, ...(inInsn ? { seq: this.seq } : {}), time,
      kind: kind === 0 ? 'sync' : kind === 0x80 ? 'irq' : kind === 0x100 ? 'fiq' : 'serror',
      from, to, esr: kind === 0 ? esr : 0, elrLo, elrHi, vecLo, vecHi,
    }, from);
    if (!this.wantReg) return;
    const id = c.id, ps = c.pstate | 0;
    if (id < this.shPs.length) this.shPs[id] = ps;
    if (this.coreElPass(id, from)) this.writer.reg(id, inInsn ? this.seq : c.icount + c.retiredInRun - 1, time, REG_CPSR, ps, 0, c.el, c.spsel);
  }

  eret(c: Cpu, from: number, to: number, pcLo: number, pcHi: number): void {
    this.other({ t: 'eret', core: c.id, seq: this.seq, time: this.time, from, to, pcLo, pcHi }, from);
  }

  ack(core: number, intid: number, el: number): void {
    if (intid >= 1020) return;
    this.other({ t: 'ack', core, time: this.now(), intid }, el);
  }

  sgi(sender: number, targets: number[], intid: number, val: bigint, el: number): void {
    this.other({ t: 'sgi', core: sender, time: this.now(), targets, intid, val }, el);
  }

  sleep(core: number, why: SleepWhy, el: number): void {
    this.other({ t: 'sleep', core, time: this.now(), why }, el);
  }

  /** Core `core` woke, at `time` (the board's: at or after both its waker's time and its own). */
  wake(core: number, cause: WakeCause, by: number | undefined, el: number, time: number): void {
    // PSCI CPU_ON: the core starts afresh from reset, so its registers are written out again.
    if (cause === 'psci' && core < this.dumped.length) this.dumped[core] = false;
    this.other(by === undefined ? { t: 'wake', core, time, cause } : { t: 'wake', core, time, cause, by }, el);
  }

  /** Core `by` cleared core `core`'s exclusive monitor, at `time` (as for wake). */
  exclClear(core: number, pa: number, by: number, el: number, time: number): void {
    this.other({ t: 'excl', core, time, op: 'clear', pa, by }, el);
  }

  /** Under --memory-model arm: the executing core's load of block pa read the write with timestamp w
   * (by core `by`, -1: the history's starting value), not the newest (timestamp newest). */
  staleRead(c: Cpu, pa: number, w: number, by: number, newest: number): void {
    if (this.cur !== c) return;
    this.other(by < 0 ? { t: 'stale', core: c.id, seq: this.seq, time: this.time, pa, w, newest }
      : { t: 'stale', core: c.id, seq: this.seq, time: this.time, pa, w, by, newest }, c.el);
  }

  psci(core: number, fn: number, ret: number, el: number): void {
    this.other({ t: 'psci', core, time: this.now(), fn, ret }, el);
  }

  uart(core: number, byte: number, el: number): void {
    this.other({ t: 'uart', core, time: this.now(), byte }, el);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.writer.close();
  }
}

// ---------------------------------------------------------------- setting up a trace for a machine

export interface TraceOptions {
  path: string;
  format: 'tarmac' | 'jsonl' | 'binary';
  /** --trace-filter specs (AND of all). */
  filters?: readonly string[];
  /** Tarmac: one file with the core named on each line (gem5 style) instead of FILE.coreN. */
  inline?: boolean;
  /** name -> [start, end) for sym= filters. */
  symbolRange?: SymbolRange;
}

/** Load the disassembler, open the trace file(s) and attach a Tracer to the machine. Close the
 * returned tracer (tracer.close()) after the run to flush the files. */
export async function openTrace(m: { cores: readonly Cpu[]; time: number; symbolize: (addr: bigint) => string | undefined; setTracer(t: Tracer | null): void }, o: TraceOptions): Promise<Tracer> {
  const filter = parseFilters(o.filters ?? [], o.symbolRange, m.cores.length);
  // The binary format leaves disassembly to its readers: no capstone to load for it.
  const dis = o.format === 'binary' ? null : await loadDisassembler();
  const writer = o.format === 'jsonl' ? new JsonlWriter(o.path)
    : o.format === 'binary' ? new BinaryWriter(o.path, m.cores.length)
      : new TarmacWriter(o.path, m.cores.length, o.inline ?? false);
  const t = new Tracer(writer, filter, dis, (a) => m.symbolize(a), () => m.time);
  m.setTracer(t);
  return t;
}
