// Turns a region of decoded instructions (the code inside one physical page reachable from its entry by
// falling through and forward branches, found by translator.ts) into the source of one JavaScript
// function `(c, budget) => void` that does what the interpreter's inner loop would do for them.
//
// Inside the function:
// - Guest registers live in locals (l<n>/h<n>: bits 31:0 and 63:32 of Xn, SP is 32), loaded at entry,
//   and the flags in nf/zf/cf/vf, kept as QEMU keeps them (emit-dp.ts Names.raw). They are written
//   back to the core (c.x, c.nf...) at the exit; before a handler call, the registers it may
//   read, SP and the flags are written back, and what it may write is reloaded after it. An exception
//   thrown inside (a handler's) writes back the rest, so a fault leaves the core exactly as the
//   interpreter would.
// - The words are emitted in address order; a forward branch inside is a `break` out of a labelled
//   block ending just before its target, a branch back to the entry continues the loop around the
//   whole (checking for a pending interrupt, as the interpreter does after a jump). Each basic block
//   first checks that the budget leaves room for all of it, so a run stops on exactly the instruction
//   the interpreter stops on.
// - Loads and stores of general registers look the page up in the core's data-access cache
//   (Cpu.dtlbR/dtlbW) and access RAM directly on a hit. A miss, MMIO, or a store that needs the
//   bookkeeping (an open exclusive monitor, a page holding decoded code or one a snapshot must save
//   first) leaves before the instruction with Cpu.jitFill set: the dispatcher interprets it and fills
//   the cache from it.
//
// Contract with the dispatcher (translator.ts), as for the interpreter's inner loop:
// - On entry c.pcLo/c.pcHi is the entry's instruction and c.flow is Flow.Next.
// - On return c.retiredInRun counts every instruction that retired, the PC is that of the next
//   instruction, and c.flow is how the last one left (Next, Jump or Exit).
// - Before a handler call, c.pcLo and c.retiredInRun are those of the instruction; an INSN_ABORTED
//   thrown there is caught by the dispatcher as by the interpreter.
// - After a handler call the function returns when the handler changed the flow, reset the fetch cache
//   (TLB maintenance, MMU or EL change), the region was invalidated (code written) or the run's end
//   moved (Cpu.endRound: the budget it was entered with no longer holds), so the next instruction is
//   fetched again as the interpreter would.
// Everything not inlined calls its handler, so any instruction the interpreter runs, a region runs.

import type { Encoding, Handler, Insn } from '../insn.js';
import { SP, XZR } from '../cpu.js';
import { BRANCH_SYS } from '../a64/branch_sys.js';
import { SIMD_FP, FP_UNALLOCATED } from '../a64/simd_fp.js';
import { FP_LDST } from '../a64/fp_ldst.js';
import { emitDp, cond, carry, Names } from './emit-dp.js';

/** Names of instructions after which a basic block always ends (they branch, or usually leave the
 * loop); the branches among them are CONDITIONAL or UNCONDITIONAL. */
export const ENDS = new Set([
  'B', 'BL', 'B.cond', 'CBZ', 'CBNZ', 'TBZ', 'TBNZ', 'BR', 'BLR', 'RET', 'ERET',
  'SVC', 'HVC', 'SMC', 'BRK', 'HLT', 'DCPS', 'WFE', 'WFI', 'ISB', 'MSR_reg', 'MSR_imm', 'UNDEFINED',
]);
/** Branches with a not-taken path. */
export const CONDITIONAL = new Set(['B.cond', 'CBZ', 'CBNZ', 'TBZ', 'TBNZ']);
/** Unconditional branches (no fall-through). */
export const UNCONDITIONAL = new Set(['B', 'BL', 'BR', 'BLR', 'RET']);

export function endsBlock(i: Insn): boolean { return ENDS.has(i.name); }

/** Handlers that may write any register (system instructions: firmware calls and semihosting return
 * values in X0..X3, exception entry switches SP): everything cached is reloaded after them. Other
 * handlers write only registers named by their fields (rd, rt, rt2, rs, ra and pairs). */
const WRITES_ANY = new Set([...BRANCH_SYS.map((e) => e.name), 'UNDEFINED']);

/** SIMD&FP data processing whose handlers neither read nor write NZCV nor take an exception other than
 * the FP access trap (the rest of the SIMD&FP space: not the loads and stores, not FCMP, FCCMP and
 * FCSEL, not what decodes to FP_UNALLOCATED). A region checks the trap's condition inline and calls
 * them without writing back the flags and SP or checking afterwards whether the flow changed. */
const fpPure = (e: Encoding): boolean => !FP_LDST.includes(e) && e.exec !== FP_UNALLOCATED &&
  !/^(FCMP|FCMPE|FCCMP|FCCMPE|FCSEL)_/.test(e.name);
/** Their handlers, keyed by what an instruction runs (a decode-time prepare may have set exec to
 * FP_UNALLOCATED); a handler that also serves an encoding that is not pure is left out. */
export const FP_PURE = new Set<Handler>(SIMD_FP.filter(fpPure).map((e) => e.exec));
for (const e of SIMD_FP) if (!fpPure(e)) FP_PURE.delete(e.exec);

/** One instruction of a region: the decoded instruction and its word index in the page; device: a
 * load or store that has gone to a device so often that the region calls its handler (an inline access
 * would leave the region each time). */
export interface TraceInsn { insn: Insn; w: number; device?: boolean }

/** A region's blocks and labels, shared by the JavaScript and WebAssembly writers: which words start a
 * block (budget check), which some forward branch inside goes to (labels), and each word's index. */
export class RegionShape {
  protected readonly n: number;
  protected readonly entry: number;
  protected readonly starts = new Set<number>();
  protected readonly labels = new Set<number>();
  protected readonly pos = new Map<number, number>();

  /** tr: the region's instructions in address order (words may skip what nothing reaches); the
   * first is the entry. */
  constructor(protected readonly tr: TraceInsn[]) {
    this.n = tr.length;
    this.entry = tr[0].w;
    tr.forEach((t, j) => this.pos.set(t.w, j));
    this.starts.add(this.entry);
    for (let j = 0; j < this.n; j++) {
      const i = tr[j].insn, w = tr[j].w;
      const name = i.name;
      if (name === 'B' || CONDITIONAL.has(name)) {
        const t = w + (i.aux0 >> 2);
        if (t > w && this.pos.has(t)) { this.labels.add(t); this.starts.add(t); }
      }
      if (CONDITIONAL.has(name) && this.pos.has(w + 1)) this.starts.add(w + 1);
      // A word reached other than by falling through (after a gap) starts a block.
      if (j > 0 && tr[j - 1].w !== w - 1) this.starts.add(w);
    }
  }

  /** Instructions of the block starting at word s (to the next block start, or the end of its path). */
  protected blockLen(s: number): number {
    let k = this.pos.get(s)!;
    const k0 = k;
    for (;;) {
      const i = this.tr[k].insn;
      if (ENDS.has(i.name)) break;
      if (k + 1 >= this.n || this.tr[k + 1].w !== this.tr[k].w + 1 || this.starts.has(this.tr[k + 1].w)) break;
      k++;
    }
    return k - k0 + 1;
  }

  /** The entry block's length: what the budget must leave room for to enter the region. */
  get entryLen(): number { return this.blockLen(this.entry); }

  /** A load or store of one or two whole SIMD&FP registers (B, H, S, D, Q: 2^log bytes each), as
   * both back ends write it inline: whether it loads, log, a pair or not, and the addressing form
   * (the encoding name's suffix: _uimm, _pre, _post, _reg, _off or none); null for anything else. */
  protected static fpLdstShape(i: Insn): { load: boolean; log: number; pair: boolean; form: string | undefined } | null {
    const single = /^(LDR|STR|LDUR|STUR)_fp(_uimm|_pre|_post|_reg)?$/.exec(i.name);
    const m = single ?? /^(LDP|STP|LDNP|STNP)_fp(_off|_pre|_post)?$/.exec(i.name);
    if (m === null || !(i.aux0 >= 0 && i.aux0 <= 4)) return null;
    return { load: m[1].startsWith('LD'), log: i.aux0, pair: single === null, form: m[2] };
  }

  /** Registers the handler of i may write (besides SP), as a list, or 'all'. */
  protected static writes(i: Insn): number[] | 'all' {
    if (WRITES_ANY.has(i.name)) return 'all';
    return [i.rd, i.rn, i.rm, i.ra, i.rt, i.rt2, i.rs, i.rt + 1, i.rs + 1].filter((r) => r >= 0 && r <= 32 && r !== XZR);
  }
}

/** Generates one region's function. */
export class RegionWriter extends RegionShape {
  private readonly usedRegs = new Set<number>();
  private readonly dirtyRegs = new Set<number>();
  private flagsUsed = false;
  private flagsDirty = false;
  /** The instructions whose handlers are called, in emission order; the generated code calls I<k>.exec. */
  readonly insns: Insn[] = [];
  private readonly names: Names;

  constructor(tr: TraceInsn[]) {
    super(tr);
    const self = this;
    this.names = {
      lo(n: number): string { if (n === XZR) return '0'; self.usedRegs.add(n); return `l${n}`; },
      hi(n: number): string { if (n === XZR) return '0'; self.usedRegs.add(n); return `h${n}`; },
      set(n: number, lo: string, hi: string): string {
        if (n === XZR) return '';
        self.usedRegs.add(n); self.dirtyRegs.add(n);
        return `{ const t$l = ${lo}, t$h = ${hi}; l${n} = t$l; h${n} = t$h; }`;
      },
      flag(f: 'n' | 'z' | 'c' | 'v'): string { self.flagsUsed = true; return `${f}f`; },
      raw: true,
    };
  }

  /** The function's body. Flags are written back only if some code writes one (emitters write flags
   * through names.flag(), always as an assignment `nf = ...`, found in the assembled source). */
  build(): string {
    let src = this.body();
    if (/\b[nzcv]f = /.test(src)) this.flagsDirty = true;
    const regs = [...this.usedRegs].sort((a, b) => a - b);
    const dirty = [...this.dirtyRegs].sort((a, b) => a - b);
    const wbRegs = (list: number[]): string => list.map((n) => `X[${2 * n}] = l${n}; X[${2 * n + 1}] = h${n};`).join(' ');
    const rlRegs = (list: number[]): string => list.map((n) => `l${n} = X[${2 * n}]; h${n} = X[${2 * n + 1}];`).join(' ');
    // The flags in their raw forms (Names.raw) here, 0 or 1 each in the core.
    const wbFlags = this.flagsDirty ? ' c.nf = nf >>> 31; c.zf = zf === 0 ? 1 : 0; c.cf = cf; c.vf = vf >>> 31;' : '';
    const rlFlags = this.flagsUsed ? ' nf = -c.nf; zf = c.zf ^ 1; cf = c.cf; vf = -c.vf;' : '';
    const fieldList = (list: string): number[] => (list === 'all' ? regs : [...new Set(list === '' ? [] : list.split(',').map(Number))]);
    // Before a handler call or a slow access: the registers it may read (its fields), SP (an exception
    // entry banks it) and the flags (the SPSR saves them).
    src = src.replace(/\u0001WBF:(all|[0-9,]*)\u0001/g, (_m, list: string) =>
      wbRegs([...new Set([...fieldList(list), SP])].filter((n) => this.dirtyRegs.has(n))) + wbFlags);
    // After a handler call: what it may have written, and SP.
    // Around a call of an FP_PURE handler: only the general registers it names.
    src = src.replace(/\u0001WBR:([0-9,]*)\u0001/g, (_m, list: string) => wbRegs(fieldList(list).filter((n) => this.dirtyRegs.has(n))));
    src = src.replace(/\u0001RLR:([0-9,]*)\u0001/g, (_m, list: string) => rlRegs(fieldList(list).filter((n) => this.usedRegs.has(n))));
    src = src.replace(/\u0001RLF:(all|[0-9,]*)\u0001/g, (_m, list: string) =>
      rlRegs([...new Set([...fieldList(list), SP])].filter((n) => this.usedRegs.has(n))) + rlFlags);
    const wb = wbRegs(dirty) + wbFlags;
    const decl = regs.map((n) => `l${n} = X[${2 * n}], h${n} = X[${2 * n + 1}]`);
    const head = [
      'const X = c.x, VW = c.vw, PB = c.pcLo & -4096, PH = c.pcHi, DV = c.dv, TR = c.dtlbR, TW = c.dtlbW, CP = c.ram.codePages, MON = c.monitor;',
      decl.length > 0 ? `let ${decl.join(', ')};` : '',
      this.flagsUsed ? 'let nf = -c.nf, zf = c.zf ^ 1, cf = c.cf, vf = -c.vf;' : '',
      'let r0 = c.retiredInRun, xw = 0, xn = 0, xf = 0;',
    ].join('\n');
    // An exception thrown from inside (INSN_ABORTED: the abort or trap has been entered) leaves the
    // registers the locals hold; SP and the flags were written before whatever threw, and exception
    // entry may have changed SP since.
    const onThrow = wbRegs(dirty.filter((n) => n !== SP));
    const tail = 'if (xw >= 0) { const l = (PB + 4 * xw) | 0; c.pcLo = l; if (xw === 1024 && l === 0) c.pcHi = (PH + 1) | 0; } c.retiredInRun = xn; c.flow = xf;';
    return `${head}\ntry {\nout: for (;;) {\n${src}\n}\n} catch (e) { ${onThrow} throw e; }\n${tail} ${wb}`;
  }

  // ---------------------------------------------------------------- PCs, exits

  /** The PC of word w of the page (an int32). */
  private pc(w: number): string { return w === 0 ? 'PB' : `(PB + ${4 * w}) | 0`; }

  /** Leave to the common exit (which writes the registers back), the PC at word w of the page (w may be
   * 1024: the next page), after n instructions of the block, with flow f. */
  private exitAt(w: number, n: string, f: number): string {
    // The common exit after the loop sets the PC from xw (kept small: every exit is a few moves).
    return `{ xw = ${w}; xn = ${n}; xf = ${f}; break out; }`;
  }

  /** Leave with the PC already set (a jump out of the page or region, a handler that set it). */
  private exitPcSet(n: string, f: string): string { return `{ xw = -1; xn = ${n}; xf = ${f}; break out; }`; }

  /** The PC-relative target (PC of word w) + off into (tl, th) (th exact across 2^32). */
  private target(w: number, off: number): string {
    return this.addOff('PB', 'PH', 4 * w + off, 'tl', 'th');
  }

  /** A taken branch from word w (instruction k of its block, so k + 1 retired since r0) by off: back
   * to the region's start (the loop goes on while the budget has room for the first block and no
   * interrupt is pending, as the interpreter checks after a jump), forward to a block of the region,
   * or out. */
  private taken(w: number, k: number, off: number): string {
    const t = w + (off >> 2);
    if (t === this.entry) {
      return `{ r0 += ${k + 1}; if (c.irqPending || r0 + ${this.blockLen(this.entry)} > budget) ${this.exitAt(this.entry, 'r0', 1)} continue; }`;
    }
    if (t > w && this.labels.has(t)) {
      return `{ r0 += ${k + 1}; if (c.irqPending) ${this.exitAt(t, 'r0', 1)} break L${t}; }`;
    }
    if (t >= 0 && t < 1024) return this.exitAt(t, `r0 + ${k + 1}`, 1);
    return `{ ${this.target(w, off)} c.pcLo = tl | 0; c.pcHi = th; ${this.exitPcSet(`r0 + ${k + 1}`, '1')} }`;
  }

  /** The region's code: its words in address order, each block checking the budget first; a forward
   * branch inside is a `break` out of the labelled statement that ends just before its target (every
   * such statement opens at the top, so they nest), a branch to the start is the loop's `continue`. */
  private body(): string {
    const out: string[] = [];
    const tr = this.tr;
    const labels = [...this.labels].sort((x, y) => y - x);
    out.push(labels.map((t) => `L${t}: {`).join(' '));
    let k = 0; // index in the current block
    for (let j = 0; j < this.n; j++) {
      const i = tr[j].insn, w = tr[j].w;
      if (this.labels.has(w)) out.push('}');
      if (this.starts.has(w)) {
        k = 0;
        out.push(`if (r0 + ${this.blockLen(w)} > budget) ${this.exitAt(w, 'r0', 0)}`);
      }
      out.push(this.branch(i, w, k) ?? (tr[j].device === true ? null : this.inline(i, w, k)) ?? this.call(i, w, k));
      k++;
      // The end of a block that can fall through: on to the next word's block, or out.
      const nextIn = j + 1 < this.n && tr[j + 1].w === w + 1;
      if (UNCONDITIONAL.has(i.name)) continue;
      if (ENDS.has(i.name) && !CONDITIONAL.has(i.name)) { out.push(this.exitAt(w + 1, `r0 + ${k}`, 0)); continue; }
      if (!nextIn) out.push(this.exitAt(w + 1, `r0 + ${k}`, 0));
      else if (this.starts.has(w + 1)) out.push(`r0 += ${k};`);
    }
    return out.join('\n');
  }

  /** A call to the instruction's handler, with the checks after it. */
  private call(i: Insn, w: number, k: number): string {
    const j = this.insns.length;
    this.insns.push(i);
    const wr = RegionShape.writes(i);
    const rl = wr === 'all' ? 'all' : wr.join(',');
    if (FP_PURE.has(i.exec)) {
      return `if (!H.fpOn(c)) ${this.slowExit(w, k, 3)} \u0001WBR:${rl}\u0001 c.pcLo = ${this.pc(w)}; c.retiredInRun = r0 + ${k}; ` +
        `I${j}.exec(c, I${j}); \u0001RLR:${rl}\u0001`;
    }
    return `\u0001WBF:${rl}\u0001 c.pcLo = ${this.pc(w)}; c.retiredInRun = r0 + ${k}; I${j}.exec(c, I${j}); \u0001RLF:${rl}\u0001\n` +
      `if (c.flow !== 0) ${this.exitPcSet(`r0 + ${k + 1}`, 'c.flow')}\n` +
      `if (c.curPage === null || B.valid === false || c.end !== budget) ${this.exitAt(w + 1, `r0 + ${k + 1}`, 0)}`;
  }

  /** Branches (and BL's link) inline, or null. */
  private branch(i: Insn, w: number, k: number): string | null {
    const N = this.names, name = i.name;
    switch (name) {
      case 'B': return this.taken(w, k, i.aux0);
      case 'BL': return `{ ${this.target(w, 4)} ${N.set(30, 'tl | 0', 'th')} } ${this.taken(w, k, i.aux0)}`;
      case 'B.cond': return `if (${cond(i.cond, N)}) ${this.taken(w, k, i.aux0)}`;
      case 'CBZ': case 'CBNZ': {
        const t = i.rt;
        const z = i.sf !== 0 ? `(${N.lo(t)} | ${N.hi(t)}) === 0` : `${N.lo(t)} === 0`;
        return `if (${name === 'CBZ' ? '' : '!'}(${z})) ${this.taken(w, k, i.aux0)}`;
      }
      case 'TBZ': case 'TBNZ': {
        const b = i.aux1, t = i.rt;
        const bit = b >= 32 ? `((${N.hi(t)} >>> ${b - 32}) & 1)` : `((${N.lo(t)} >>> ${b}) & 1)`;
        return `if (${bit} ${name === 'TBZ' ? '===' : '!=='} 0) ${this.taken(w, k, i.aux0)}`;
      }
      case 'BR': case 'RET':
        return `{ c.pcLo = ${N.lo(i.rn)}; c.pcHi = ${N.hi(i.rn)}; ${this.exitPcSet(`r0 + ${k + 1}`, '1')} }`;
      case 'BLR': {
        const n = i.rn;
        return `{ const jl = ${N.lo(n)}, jh = ${N.hi(n)}; ${this.target(w, 4)} ${N.set(30, 'tl | 0', 'th')} c.pcLo = jl; c.pcHi = jh; ${this.exitPcSet(`r0 + ${k + 1}`, '1')} }`;
      }
      default: return null;
    }
  }

  /** Inline code for a non-branch instruction, or null to call its handler. */
  private inline(i: Insn, w: number, _k: number): string | null {
    const N = this.names;
    switch (i.name) {
      // No effect outside the memory model and the checked loop (their handlers are empty).
      case 'NOP': case 'HINT': case 'DSB': case 'DMB': case 'PRFM_uimm': case 'PRFUM': case 'PRFM_reg': case 'PRFM_lit': return '';
      case 'ADR': return `{ ${this.target(w, i.aux0)} ${N.set(i.rd, 'tl | 0', 'th')} }`;
      case 'ADRP':
        return `{ const l = (PB + ${i.aux0}) | 0; ${N.set(i.rd, 'l', `(PH + ${i.aux1} + ${carry('l', 'PB', '0')}) | 0`)} }`;
    }
    return emitDp(i, N) ?? this.ldst(i, w, _k) ?? this.fpLdst(i, w, _k);
  }

  // ---------------------------------------------------------------- loads and stores

  /** Leave before instruction k (at word w) to have the dispatcher interpret it: its access missed the
   * data-access cache (or needs the store bookkeeping, or is MMIO). The dispatcher then fills the cache
   * from that access (Cpu.jitFill: 1 read, 2 write, 3 none). Nothing of the instruction has happened
   * yet. */
  private slowExit(w: number, k: number, fill: number): string {
    return `{ c.jitFill = ${fill}; ${this.exitAt(w, `r0 + ${k}`, 0)} }`;
  }

  /** The RAM offset of an access of `span` bytes at (a, ah) into `o` when the data-access cache `tab`
   * has its page (and the span stays in it), else the slow exit. */
  private lookup(tab: string, a: string, ah: string, span: number, slow: string, store: boolean): string {
    const inPage = span > 1 ? ` && (${a} & 4095) <= ${4096 - span}` : '';
    // A store needs no bookkeeping: no exclusive monitor is open and the page holds no decoded code
    // (and no snapshot must save it first).
    const plain = store ? ' && MON.active === 0' : '';
    return `const e = ((${a} >>> 12) & 255) << 2; ` +
      `if (!(${tab}[e] === (${a} & -4096) && ${tab}[e + 1] === ${ah}${inPage}${plain})) ${slow} ` +
      `const o = ${tab}[e + 2] + (${a} & 4095);` + (store ? ` if (CP[o >>> 12] !== 0) ${slow}` : '');
  }

  private get(size: number, sx: string, o: string): string {
    switch (size) {
      case 1: return sx === 'z' ? `DV.getUint8(${o})` : `DV.getInt8(${o})`;
      case 2: return sx === 'z' ? `DV.getUint16(${o}, true)` : `DV.getInt16(${o}, true)`;
      default: return `DV.getInt32(${o}, true)`;
    }
  }

  private put(size: number, o: string, vl: string, vh: string): string {
    switch (size) {
      case 1: return `DV.setUint8(${o}, ${vl} & 255);`;
      case 2: return `DV.setUint16(${o}, ${vl} & 65535, true);`;
      case 4: return `DV.setInt32(${o}, ${vl}, true);`;
      default: return `DV.setInt32(${o}, ${vl}, true); DV.setInt32(${o} + 4, ${vh}, true);`;
    }
  }

  /** (vl, vh) from `size` bytes at RAM offset o; sx: 'z' zero-extend, 'x' sign-extend to 64, 'w' to 32. */
  private fetch(size: number, sx: string, o: string, vl: string, vh: string): string {
    if (size === 8) return `const ${vl} = DV.getInt32(${o}, true), ${vh} = DV.getInt32(${o} + 4, true);`;
    return `const ${vl} = ${this.get(size, sx, o)}, ${vh} = ${sx === 'x' ? `${vl} >> 31` : '0'};`;
  }

  /** Single-register and pair loads/stores of general registers. */
  private ldst(i: Insn, w: number, k: number): string | null {
    const N = this.names, name = i.name;
    const single = /^(STRB|LDRB|LDRSB_x|LDRSB_w|STRH|LDRH|LDRSH_x|LDRSH_w|STR_w|LDR_w|LDRSW|STR_x|LDR_x|STURB|LDURB|LDURSB_x|LDURSB_w|STURH|LDURH|LDURSH_x|LDURSH_w|STUR_w|LDUR_w|LDURSW|STUR_x|LDUR_x)(_uimm|_pre|_post|_reg)?$/.exec(name);
    const pair = /^(STP|LDP|LDPSW|STNP|LDNP)(_off|_pre|_post)?$/.exec(name);
    if (single === null && pair === null) return null;
    const form = this.form((single ?? pair)![2]);
    let s = this.address(i, w, k, form);
    if (single !== null) {
      const op = i.aux0, t = i.rt;
      const SIZE = [1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 0, 8, 8];
      const SX = ['', 'z', 'x', 'w', '', 'z', 'x', 'w', '', 'z', 'x', '', '', 'z'];
      const size = SIZE[op];
      if (size === undefined || size === 0) return null;
      const store = op === 0 || op === 4 || op === 8 || op === 12;
      s += this.lookup(store ? 'TW' : 'TR', 'al', 'ah', size, this.slowExit(w, k, store ? 2 : 1), store) + ' ';
      if (store) s += this.put(size, 'o', N.lo(t), N.hi(t));
      else s += `${this.fetch(size, SX[op], 'o', 'vl', 'vh')} ${N.set(t, 'vl', 'vh')}`;
    } else {
      const op = i.aux0, t = i.rt, t2 = i.rt2;
      if (op !== 0 && op !== 1 && op !== 3 && op !== 4 && op !== 5) return null;
      const size = op === 4 || op === 5 ? 8 : 4;
      const store = op === 0 || op === 4;
      // Both elements on the page or neither: one lookup for the pair.
      s += this.lookup(store ? 'TW' : 'TR', 'al', 'ah', 2 * size, this.slowExit(w, k, store ? 2 : 1), store) + ' ';
      if (store) s += `${this.put(size, 'o', N.lo(t), N.hi(t))} ${this.put(size, `o + ${size}`, N.lo(t2), N.hi(t2))}`;
      else {
        const sx = op === 3 ? 'x' : 'z';
        s += `${this.fetch(size, sx, 'o', 'al0', 'ah0')} ${this.fetch(size, sx, `o + ${size}`, 'bl0', 'bh0')} `;
        // Rt2 first, then Rt (the handler's order, for Rt = Rt2, which is CONSTRAINED UNPREDICTABLE).
        s += `${N.set(t2, 'bl0', 'bh0')} ${N.set(t, 'al0', 'ah0')}`;
      }
    }
    return `{ ${s}${this.writeBack(i, form)} }`;
  }

  /** The addressing form named by a load/store name's suffix. */
  private form(sfx: string | undefined): 'imm' | 'pre' | 'post' | 'reg' {
    return sfx === '_pre' ? 'pre' : sfx === '_post' ? 'post' : sfx === '_reg' ? 'reg' : 'imm';
  }

  /** (ol, oh) = (bl, bh) + off, bl and bh names, off a signed constant (|off| < 2^31), with the carry
   * or borrow into bits 63:32 found by an unsigned comparison (integer operations only, see carry()). */
  private addOff(bl: string, bh: string, off: number, ol = 'al', oh = 'ah'): string {
    if (off === 0) return `const ${ol} = ${bl}, ${oh} = ${bh};`;
    const hi = off > 0 ? `(${ol} >>> 0) < (${bl} >>> 0) ? (${bh} + 1) | 0 : ${bh}` : `(${ol} >>> 0) > (${bl} >>> 0) ? (${bh} - 1) | 0 : ${bh}`;
    return `const ${ol} = (${bl} + ${off}) | 0, ${oh} = ${hi};`;
  }

  /** The SP alignment check (CheckSPAlignment: a misaligned SP goes to the interpreter, whose handler
   * checks it) and the access address into (al, ah): Rn + aux1 (imm, pre), Rn (post), or Rn plus
   * Rm extended by opt and shifted by aux2 (reg). */
  private address(i: Insn, w: number, k: number, form: string): string {
    const N = this.names, n = i.rn;
    let s = '';
    if (n === SP) s += `if ((${N.lo(SP)} & 15) !== 0) ${this.slowExit(w, k, 3)} `;
    if (form === 'imm' || form === 'pre') s += this.addOff(N.lo(n), N.hi(n), i.aux1);
    else if (form === 'post') s += `const al = ${N.lo(n)}, ah = ${N.hi(n)};`;
    else {
      const m = i.rm, opt = i.opt, sh = i.aux2;
      s += `let ol = ${N.lo(m)}, oh = ${opt === 2 ? '0' : opt === 6 ? 'ol >> 31' : N.hi(m)}; `;
      if (sh !== 0) s += `oh = (oh << ${sh}) | (ol >>> ${32 - sh}); ol <<= ${sh}; `;
      s += `const al = (${N.lo(n)} + ol) | 0, ah = (${N.hi(n)} + oh + ${carry('al', N.lo(n), '0')}) | 0;`;
    }
    return s + ' ';
  }

  /** The base register's write-back of the pre- and post-index forms (after the access). */
  private writeBack(i: Insn, form: string): string {
    const N = this.names, n = i.rn;
    if (form === 'pre') return ` ${N.set(n, 'al', 'ah')}`;
    if (form === 'post') return ` { ${this.addOff('al', 'ah', i.aux1, 'nl', 'nh')} ${N.set(n, 'nl', 'nh')} }`;
    return '';
  }

  /** Loads and stores of one or two whole SIMD&FP registers (B, H, S, D, Q: 2^aux0 bytes each), as
   * fp_ldst.ts does them: a load zeroes the rest of the register, a pair accesses Rt then Rt2 (so a
   * pair load with Rt = Rt2 leaves the higher element). The FP unit must be enabled (else the
   * interpreter takes the trap), and a Q access with alignment checking never hits the cache. */
  private fpLdst(i: Insn, w: number, k: number): string | null {
    const shape = RegionShape.fpLdstShape(i);
    if (shape === null) return null;
    const { load, log, pair } = shape, size = 1 << log;
    const form = this.form(shape.form);
    let s = `if (!H.fpOn(c)) ${this.slowExit(w, k, 3)} ` + this.address(i, w, k, form);
    s += this.lookup(load ? 'TR' : 'TW', 'al', 'ah', pair ? 2 * size : size, this.slowExit(w, k, load ? 1 : 2), !load) + ' ';
    const regs = pair ? [i.rt, i.rt2] : [i.rt];
    regs.forEach((t, e) => {
      const o = e === 0 ? 'o' : `o + ${size}`, b = t * 4;
      if (load) {
        const words = log <= 2 ? [log === 0 ? `DV.getUint8(${o})` : log === 1 ? `DV.getUint16(${o}, true)` : `DV.getInt32(${o}, true)`]
          : Array.from({ length: size / 4 }, (_, q) => `DV.getInt32(${o} + ${4 * q}, true)`);
        for (let q = 0; q < 4; q++) s += `VW[${b + q}] = ${words[q] ?? '0'}; `;
      } else if (log === 0) s += `DV.setUint8(${o}, VW[${b}] & 255); `;
      else if (log === 1) s += `DV.setUint16(${o}, VW[${b}] & 65535, true); `;
      else for (let q = 0; q < size / 4; q++) s += `DV.setInt32(${o} + ${4 * q}, VW[${b + q}], true); `;
    });
    return `{ ${s}${this.writeBack(i, form)} }`;
  }
}
