// Turns a region (as for codegen.ts: the code inside one physical page reachable from its entry by
// falling through and forward branches) into a WebAssembly function that does what the interpreter's
// inner loop would do for it, with the same contract with the dispatcher as codegen.ts's JavaScript
// functions. The difference is where state lives: guest registers are i64 locals (a 64-bit add is one
// instruction, where JavaScript needs two int32 halves and a carry), and the core's registers, its
// data-access caches and RAM are all in the one WebAssembly memory (Ram.wasm), so nothing crosses into
// JavaScript except handler calls.
//
// The function: f(area, budget, retired, pcLo, pcHi, nzcv), area the byte offset of the core's area
// (cpu.ts AREA_*). It loads the registers it uses from the area, runs, writes back what it changed,
// and leaves its exit in the exchange slots (AreaSlot): PCLO/PCHI the next PC (unless XW is -1: a
// handler set it), XN the instructions retired, XF the flow, NZCV the flags, FILL the data-access cache
// fill the dispatcher must do (Cpu.jitFill).
//
// Or it chains: where the next PC is the entry of a region, in this page (by its word) or in a page
// the core's jump cache (Cpu.jumps) maps, it tail-calls that region's table slot instead of returning
// (a slot without a region holds a stub that returns). A chained region runs in another page than
// the dispatcher's fetch cache names; the handler calls set the fetch cache to the region's page.
//
// A region has a second function, its stepping variant, written when needed: the same code, but
// entered at any of its words (the one pcLo names) and checking the budget before each instruction,
// so that it runs exactly what fits. It runs the start of a core's quantum that falls inside a region
// (or where translated code left to the dispatcher inside one), and the end of one: where the budget
// has no room for a whole block, the region chains to its stepping variant, instead of leaving the
// rest to the interpreter. It has no loop: its jump back to the entry chains to the region.
//
// Handler calls go through the imported `call(k, pcLo, pcHi, retired, nzcv)` (translator.ts), which
// runs the k-th called instruction's handler on the core and returns the flags, the flow (bits 7:4) and
// bit 8 when the next instruction must be fetched anew (see Translator.caller). Before the call every
// register the region changed is written back, so that a handler that takes an exception (and throws)
// leaves the core exactly as the interpreter would; after it, what the handler may write is reloaded.

import type { Insn } from '../../insn.js';
import { SP, XZR, AREA_X, AREA_ST, AREA_DTLBR, AREA_DTLBW, AREA_JUMPS, AREA_V, JUMP_SETS, DTLB_SETS, AreaSlot } from '../../cpu.js';
import { FnBuilder, Op, I32, I64, FN_CALL, FN_JUMP, FN_PURE, REGION_PARAMS } from './encoder.js';
import type { WRegs } from './regs.js';
import { emitDpWasm, condWasm } from './emit-dp.js';
import { RegionShape, TraceInsn, CONDITIONAL, ENDS, UNCONDITIONAL, FP_PURE } from '../codegen.js';

const slot = (s: AreaSlot): number => AREA_ST + 4 * s;
/** The i64 load and store of 2^log bytes, log 0 to 3 (a Q register, log 4, is two D halves). */
const LOAD_LOG = [Op.i64Load8U, Op.i64Load16U, Op.i64Load32U, Op.i64Load, Op.i64Load];
const STORE_LOG = [Op.i64Store8, Op.i64Store16, Op.i64Store32, Op.i64Store, Op.i64Store];

/** What the first pass of a writer found: the registers the region reads or writes and those it writes
 * (the second pass loads, writes back and saves around calls by these). */
interface RegSets { used: Set<number>; dirty: Set<number> }

/** Which of a region's two functions a writer writes (see the top of this file). */
export interface Stepping { stepping: boolean; slot: number }

export class WasmRegionWriter extends RegionShape {
  readonly f = new FnBuilder(REGION_PARAMS);
  /** The instructions whose handlers are called, in emission order (call's k). */
  readonly insns: Insn[] = [];
  private readonly sets: RegSets = { used: new Set(), dirty: new Set() };
  private readonly xl = new Map<number, number>();
  private readonly regs: WRegs;
  // Parameters, and locals every function has.
  private readonly AREA = 0; private readonly BUDGET = 1; private readonly R0 = 2;
  private readonly PCLO = 3; private readonly PCHI = 4; private readonly NZCV = 5;
  private readonly fl: { n: number; z: number; c: number; v: number };
  private readonly xw: number; private readonly xn: number; private readonly xf: number;
  /** At the exit: 1 + the table slot of the region to go on to (0: back to the dispatcher). */
  private readonly xc: number;
  /** The entry page's base address as an i64. */
  private readonly pcb: number;
  /** At the exit: the next PC is xb + 4 * xw (xb is pcb, or a jump's target with xw 0). */
  private readonly xb: number;

  /** tr as for RegionShape; cpOff: Ram.cpOff; link(w): the table slot of the region entered at word w
   * of this page (whatever is there: the translator keeps a stub in the slot while no region is; the
   * page's slots are consecutive, so link(0) + w is word w's); step: see write();
   * prior: the first pass's register sets (none: this is the first pass). */
  constructor(tr: TraceInsn[], private readonly cpOff: number, private readonly link: (w: number) => number,
    private readonly step: Stepping, private readonly prior: RegSets | null = null) {
    super(tr);
    if (step.stepping) {
      // Every word starts a block of one (a budget check before each instruction) and can be entered.
      for (const t of tr) { this.starts.add(t.w); if (t.w !== this.entry) this.labels.add(t.w); }
    }
    const f = this.f;
    this.fl = { n: f.local(I32), z: f.local(I32), c: f.local(I32), v: f.local(I32) };
    this.xw = f.local(I32); this.xn = f.local(I32); this.xf = f.local(I32); this.xc = f.local(I32);
    this.pcb = f.local(I64); this.xb = f.local(I64);
    if (prior !== null) for (const n of prior.used) this.xl.set(n, f.local(I64));
    const self = this;
    this.regs = {
      get(fb: FnBuilder, n: number): void { if (n === XZR) fb.i64(0); else fb.get(self.reg(n)); },
      set(fb: FnBuilder, n: number): void {
        if (n === XZR) { fb.op(Op.drop); return; }
        self.sets.dirty.add(n);
        fb.set(self.reg(n));
      },
      flags(): { n: number; z: number; c: number; v: number } { return self.fl; },
    };
  }

  /** The local of register n (the first pass allocates as it goes: its code is thrown away). */
  private reg(n: number): number {
    this.sets.used.add(n);
    let l = this.xl.get(n);
    if (l === undefined) { l = this.f.local(I64); this.xl.set(n, l); }
    return l;
  }

  /** Both passes: the writer whose f holds the function (every instruction can be written: what is
   * not inline calls its handler). step: the region's own function (stepping false), which chains to
   * the slot step.slot where the budget leaves no room for a whole block (-1: it leaves to the
   * dispatcher there); or its stepping variant (stepping true). */
  static write(tr: TraceInsn[], cpOff: number, link: (w: number) => number, step: Stepping): WasmRegionWriter {
    const first = new WasmRegionWriter(tr, cpOff, link, step);
    first.emit();
    const second = new WasmRegionWriter(tr, cpOff, link, step, first.sets);
    second.emit();
    return second;
  }

  private emit(): void {
    const f = this.f;
    f.open(Op.block, 'exit').open(Op.loop, 'top');
    this.body();
    f.end().end();
    this.epilogue();
    // The prologue goes before the code just written (it needs the register sets).
    const code = f.code.splice(0);
    this.prologue();
    for (const b of code) f.code.push(b);
  }

  private get used(): number[] { return [...(this.prior ?? this.sets).used].sort((a, b) => a - b); }
  private get dirty(): number[] { return [...(this.prior ?? this.sets).dirty].sort((a, b) => a - b); }

  private prologue(): void {
    const f = this.f;
    for (const n of this.used) this.load(n);
    // pcb = pcHi:(pcLo & ~0xfff)
    f.get(this.PCHI).op(Op.i64ExtendI32U).i64(32).op(Op.i64Shl)
      .get(this.PCLO).i32(-4096).op(Op.i32And).op(Op.i64ExtendI32U).op(Op.i64Or).tee(this.pcb).set(this.xb);
    this.unpackFlags(() => f.get(this.NZCV));
  }

  private load(n: number): void {
    const f = this.f;
    f.get(this.AREA).mem(Op.i64Load, AREA_X + 8 * n).set(this.xl.get(n)!);
  }

  private store(n: number): void {
    const f = this.f, l = this.xl.get(n)!;
    f.get(this.AREA).get(l).mem(Op.i64Store, AREA_X + 8 * n);
  }

  private unpackFlags(push: () => void): void {
    const f = this.f, fl = this.fl;
    ([[fl.n, 3], [fl.z, 2], [fl.c, 1], [fl.v, 0]] as const).forEach(([l, b]) => { push(); f.i32(b).op(Op.i32ShrU).i32(1).op(Op.i32And).set(l); });
  }

  private packFlags(): void {
    const f = this.f, fl = this.fl;
    f.get(fl.n).i32(3).op(Op.i32Shl).get(fl.z).i32(2).op(Op.i32Shl).op(Op.i32Or)
      .get(fl.c).i32(1).op(Op.i32Shl).op(Op.i32Or).get(fl.v).op(Op.i32Or);
  }

  private setSlot(s: AreaSlot, value: () => void): void {
    this.f.get(this.AREA); value(); this.f.mem(Op.i32Store, slot(s));
  }

  private epilogue(): void {
    const f = this.f;
    for (const n of this.dirty) this.store(n);
    // The next PC (unused when xw is -1).
    const pc = f.local(I64);
    f.get(this.xb).get(this.xw).i32(2).op(Op.i32Shl).op(Op.i64ExtendI32U).op(Op.i64Add).set(pc);
    const lo = (): void => { f.get(pc).op(Op.i32WrapI64); };
    const hi = (): void => { f.get(pc).i64(32).op(Op.i64ShrU).op(Op.i32WrapI64); };
    // Chaining: straight on to the next region (a tail call: the chain needs no stack).
    f.get(this.xc).open(Op.if);
    f.get(this.AREA).get(this.BUDGET).get(this.xn); lo(); hi(); this.packFlags();
    f.get(this.xc).i32(1).op(Op.i32Sub).op(Op.returnCall, FN_JUMP);
    f.end();
    this.setSlot(AreaSlot.PCLO, lo);
    this.setSlot(AreaSlot.PCHI, hi);
    this.setSlot(AreaSlot.XW, () => this.f.get(this.xw));
    this.setSlot(AreaSlot.XN, () => this.f.get(this.xn));
    this.setSlot(AreaSlot.XF, () => this.f.get(this.xf));
    this.setSlot(AreaSlot.NZCV, () => this.packFlags());
  }

  // ---------------------------------------------------------------- exits

  /** Push r0 + k. */
  private r0plus(k: number): void { this.f.get(this.R0); if (k !== 0) this.f.i32(k).op(Op.i32Add); }

  /** Push the exchange slot IRQ (Cpu.irqPending). */
  private irq(): void { this.f.get(this.AREA).mem(Op.i32Load, slot(AreaSlot.IRQ)); }

  /** The exit's XW (w: a word of the page, or -1), XN (r0 + k) and, unless null (already set), XF. */
  private setExit(w: number, k: number, flow: number | null): void {
    const f = this.f;
    f.i32(w).set(this.xw); this.r0plus(k); f.set(this.xn);
    if (flow !== null) f.i32(flow).set(this.xf);
  }

  /** Chain at the exit to the slot `pushSlot` pushes (plus one), unless an interrupt is pending after
   * a jump (flow 1: the dispatcher takes it then). */
  private setChain(pushSlot1: () => void, flow: number): void {
    const f = this.f;
    if (flow !== 0) { f.i32(0); pushSlot1(); this.irq(); f.op(Op.select); } else pushSlot1();
    f.set(this.xc);
  }

  /** Leave to the exit with the PC at word w (w may be 1024: the next page), after r0 + k
   * instructions, with flow fl. chain: go on to the region at w directly (the dispatcher would enter
   * it next: same page and mapping, nothing for the interpreter to do), unless an interrupt is pending
   * after a jump (the dispatcher takes it then). Only where a branch or the region's end leads: not
   * after a slow access, a full budget or a handler that changed what the dispatcher checks. */
  private exitAt(w: number, k: number, flow: number, chain = false): void {
    if (chain && w === 1024) { this.pcPlus(1024, 0); this.farExit(k, flow); return; }
    this.setExit(w, k, flow);
    if (chain && w < 1024) this.setChain(() => this.f.i32(this.link(w) + 1), flow);
    this.f.br('exit');
  }

  /** Leave at word w, a block's start, with r0 instructions retired and the given flow, where the
   * budget has no room for the block (or, after a jump, an interrupt may be pending): on to the
   * stepping variant (which runs what fits), unless an interrupt is pending after a jump; from the
   * stepping variant itself, or without one, to the dispatcher. */
  private budgetExit(w: number, flow: number): void {
    if (this.step.stepping || this.step.slot < 0) { this.exitAt(w, 0, flow); return; }
    this.setExit(w, 0, flow);
    this.setChain(() => this.f.i32(this.step.slot + 1), flow);
    this.f.br('exit');
  }

  /** The stub in the table's slots without a region: it leaves to the dispatcher at pcLo/pcHi. */
  static stub(): FnBuilder {
    const f = new FnBuilder(REGION_PARAMS);
    const put = (s: AreaSlot, v: () => void): void => { f.get(0); v(); f.mem(Op.i32Store, slot(s)); };
    put(AreaSlot.XW, () => f.i32(0));
    put(AreaSlot.PCLO, () => f.get(3));
    put(AreaSlot.PCHI, () => f.get(4));
    put(AreaSlot.XN, () => f.get(2));
    put(AreaSlot.XF, () => f.i32(0));
    put(AreaSlot.NZCV, () => f.get(5));
    return f;
  }

  private slowExit(w: number, k: number, fill: number): void {
    this.setSlot(AreaSlot.FILL, () => this.f.i32(fill));
    this.exitAt(w, k, 0);
  }

  /** Push the i64 PC of word w plus off. */
  private pcPlus(w: number, off: number): void {
    this.f.get(this.pcb);
    const d = 4 * w + off;
    if (d !== 0) this.f.i64(d).op(Op.i64Add);
  }

  /** A taken branch from word w (instruction k of its block) by off. */
  private taken(w: number, k: number, off: number): void {
    const f = this.f, t = w + (off >> 2);
    if (t === this.entry && !this.step.stepping) {
      this.r0plus(k + 1); f.set(this.R0);
      this.irq(); this.r0plus(this.blockLen(this.entry)); f.get(this.BUDGET).op(Op.i32GtS).op(Op.i32Or);
      f.open(Op.if); this.budgetExit(this.entry, 1); f.end();
      f.br('top');
      return;
    }
    if (t > w && this.labels.has(t)) {
      this.r0plus(k + 1); f.set(this.R0);
      this.irq(); f.open(Op.if); this.exitAt(t, 0, 1); f.end();
      f.br(`L${t}`);
      return;
    }
    if (t >= 0 && t < 1024) { this.exitAt(t, k + 1, 1, true); return; }
    this.pcPlus(w, off);
    this.farExit(k + 1, 1);
  }

  /** After instruction k, a jump to the i64 on the stack, computed at run time. A target in the
   * entry's page, word aligned, is chained to like a branch's (its slot is the page's first plus its
   * word); anything else as farExit. */
  private jumpExit(k: number): void {
    const f = this.f, t = f.local(I64);
    f.tee(t);
    // Same page: (t ^ pcb) has no bits above 11 set, and t's bits 1:0 are clear.
    f.get(this.pcb).op(Op.i64Xor).i64(-4096 | 3).op(Op.i64And).op(Op.i64Eqz).open(Op.if);
    this.setExit(0, k + 1, 1);
    f.get(t).op(Op.i32WrapI64).i32(2).op(Op.i32ShrU).i32(1023).op(Op.i32And).set(this.xw);
    this.setChain(() => f.i32(this.link(0) + 1).get(this.xw).op(Op.i32Add), 1);
    f.br('exit');
    f.end();
    f.get(t);
    this.farExit(k + 1, 1);
  }

  /** Leave, after r0 + n instructions with flow fl, to the i64 on the stack as the PC, outside the
   * entry's page (or not word aligned). When the core's jump cache holds the target's page, chain to
   * the target's slot there (as exitAt does within the page); else the dispatcher fetches it. */
  private farExit(n: number, flow: number): void {
    const f = this.f, t = f.local(I64), lo = f.local(I32), e = f.local(I32);
    f.tee(t).set(this.xb);
    this.setExit(0, n, flow);
    // The tag compared keeps bits 1:0: an unaligned PC never matches.
    this.pageEntry(t, lo, e, AREA_JUMPS, JUMP_SETS, 0, -4096 | 3);
    f.open(Op.if);
    this.setChain(() => f.get(e).mem(Op.i32Load, AREA_JUMPS + 8).get(lo).i32(2).op(Op.i32ShrU).i32(1023).op(Op.i32And).op(Op.i32Add).i32(1).op(Op.i32Add), flow);
    f.end();
    f.br('exit');
  }

  // ---------------------------------------------------------------- the body

  private body(): void {
    const f = this.f, tr = this.tr;
    const labels = [...this.labels].sort((x, y) => y - x);
    for (const t of labels) f.open(Op.block, `L${t}`);
    if (this.step.stepping) this.dispatch();
    let k = 0;
    for (let j = 0; j < this.n; j++) {
      const i = tr[j].insn, w = tr[j].w;
      if (this.labels.has(w)) f.end();
      if (this.starts.has(w)) {
        k = 0;
        this.r0plus(this.blockLen(w)); f.get(this.BUDGET).op(Op.i32GtS);
        f.open(Op.if); this.budgetExit(w, 0); f.end();
      }
      if (!this.branch(i, w, k) && (tr[j].device === true || !this.inline(i, w, k))) this.call(i, w, k);
      k++;
      const nextIn = j + 1 < this.n && tr[j + 1].w === w + 1;
      if (UNCONDITIONAL.has(i.name)) continue;
      if (ENDS.has(i.name) && !CONDITIONAL.has(i.name)) { this.exitAt(w + 1, k, 0); continue; }
      if (!nextIn) this.exitAt(w + 1, k, 0, true);
      else if (this.starts.has(w + 1)) { this.r0plus(k); f.set(this.R0); }
    }
  }

  /** The stepping variant's start: on to the code of the word pcLo names (every word of the region
   * but the entry has a label; a word the region does not cover leaves at once, running nothing). */
  private dispatch(): void {
    const f = this.f, e = this.entry, last = this.tr[this.n - 1].w;
    f.open(Op.block, 'E').open(Op.block, 'none');
    f.get(this.PCLO).i32(2).op(Op.i32ShrU).i32(1023).op(Op.i32And).i32(e).op(Op.i32Sub);
    const targets: string[] = [];
    for (let w = e; w <= last; w++) targets.push(w === e ? 'E' : this.labels.has(w) ? `L${w}` : 'none');
    f.brTable(targets, 'none');
    f.end();
    this.setExit(0, 0, 0);
    f.get(this.PCLO).i32(2).op(Op.i32ShrU).i32(1023).op(Op.i32And).set(this.xw);
    f.br('exit');
    f.end();
  }

  /** A call of the instruction's handler through the imported call(), with the checks after it; an
   * FP_PURE handler's through pure(), lighter: with the FP unit on (else the interpreter takes the
   * trap), only the general registers its fields name written back and reloaded, and no flags, flow
   * or fetch cache to check after it. */
  private call(i: Insn, w: number, k: number): void {
    const f = this.f, kk = this.insns.length;
    this.insns.push(i);
    const sets = this.prior ?? this.sets;
    if (FP_PURE.has(i.exec)) {
      this.fpOnOrLeave(w, k);
      const named = RegionShape.writes(i) as number[];
      for (const n of named) if (sets.dirty.has(n)) this.store(n);
      f.i32(kk).i32(4 * w).get(this.pcb).op(Op.i32WrapI64).op(Op.i32Add).get(this.PCHI);
      this.r0plus(k);
      f.callFn(FN_PURE);
      for (const n of named) if (sets.used.has(n)) this.load(n);
      return;
    }
    for (const n of this.dirty) this.store(n);
    f.i32(kk).i32(4 * w).get(this.pcb).op(Op.i32WrapI64).op(Op.i32Add).get(this.PCHI);
    this.r0plus(k); this.packFlags();
    f.callFn(FN_CALL);
    const st = f.local(I32);
    f.set(st);
    const wr = RegionShape.writes(i);
    for (const n of wr === 'all' ? this.used : [...wr, SP]) if (sets.used.has(n)) this.load(n);
    this.unpackFlags(() => f.get(st));
    // The flow changed: the handler set the PC.
    f.get(st).i32(4).op(Op.i32ShrU).i32(15).op(Op.i32And).tee(this.xf);
    f.open(Op.if); this.setExit(-1, k + 1, null); f.br('exit'); f.end();
    // The fetch cache was reset or the region dropped: the next instruction is fetched anew.
    f.get(st).i32(256).op(Op.i32And);
    f.open(Op.if); this.exitAt(w + 1, k + 1, 0); f.end();
  }

  /** Branches (and BL's link) inline; false if i is not one. */
  private branch(i: Insn, w: number, k: number): boolean {
    const f = this.f, r = this.regs, name = i.name;
    const cond = (push: () => void): void => { push(); f.open(Op.if); this.taken(w, k, i.aux0); f.end(); };
    switch (name) {
      case 'B': this.taken(w, k, i.aux0); return true;
      case 'BL': this.pcPlus(w, 4); r.set(f, 30); this.taken(w, k, i.aux0); return true;
      case 'B.cond': cond(() => condWasm(i.cond, f, r)); return true;
      case 'CBZ': case 'CBNZ':
        cond(() => {
          r.get(f, i.rt);
          if (i.sf !== 0) f.op(Op.i64Eqz); else f.op(Op.i32WrapI64, Op.i32Eqz);
          if (name === 'CBNZ') f.op(Op.i32Eqz);
        });
        return true;
      case 'TBZ': case 'TBNZ':
        cond(() => {
          r.get(f, i.rt); f.i64(i.aux1).op(Op.i64ShrU).i64(1).op(Op.i64And).op(Op.i32WrapI64);
          if (name === 'TBZ') f.op(Op.i32Eqz);
        });
        return true;
      case 'BR': case 'RET': r.get(f, i.rn); this.jumpExit(k); return true;
      case 'BLR': {
        const t = f.local(I64);
        r.get(f, i.rn); f.set(t);
        this.pcPlus(w, 4); r.set(f, 30);
        f.get(t); this.jumpExit(k);
        return true;
      }
      default: return false;
    }
  }

  /** Inline code for a non-branch instruction; false to call its handler. */
  private inline(i: Insn, w: number, k: number): boolean {
    const f = this.f, r = this.regs;
    switch (i.name) {
      case 'NOP': case 'HINT': case 'DSB': case 'DMB': case 'PRFM_uimm': case 'PRFUM': case 'PRFM_reg': case 'PRFM_lit': return true;
      case 'ADR': this.pcPlus(w, i.aux0); r.set(f, i.rd); return true;
      case 'ADRP': f.get(this.pcb).i64(i.aux0, i.aux1).op(Op.i64Add); r.set(f, i.rd); return true;
    }
    return emitDpWasm(i, f, r) || this.ldst(i, w, k) || this.fpLdst(i, w, k);
  }

  // ---------------------------------------------------------------- loads and stores

  /** Single-register and pair loads/stores of general registers (as codegen.ts's ldst). */
  private ldst(i: Insn, w: number, k: number): boolean {
    const f = this.f, r = this.regs, name = i.name;
    const single = /^(STRB|LDRB|LDRSB_x|LDRSB_w|STRH|LDRH|LDRSH_x|LDRSH_w|STR_w|LDR_w|LDRSW|STR_x|LDR_x|STURB|LDURB|LDURSB_x|LDURSB_w|STURH|LDURH|LDURSH_x|LDURSH_w|STUR_w|LDUR_w|LDURSW|STUR_x|LDUR_x)(_uimm|_pre|_post|_reg)?$/.exec(name);
    const pair = /^(STP|LDP|LDPSW|STNP|LDNP)(_off|_pre|_post)?$/.exec(name);
    if (single === null && pair === null) return false;
    const op = i.aux0;
    // Loads by size code: [op, store?, size, load opcode into i64].
    const SINGLE: Record<number, [boolean, number, number]> = {
      0: [true, 1, 0], 1: [false, 1, Op.i64Load8U], 2: [false, 1, Op.i64Load8S], 3: [false, 1, -1],
      4: [true, 2, 0], 5: [false, 2, Op.i64Load16U], 6: [false, 2, Op.i64Load16S], 7: [false, 2, -2],
      8: [true, 4, 0], 9: [false, 4, Op.i64Load32U], 10: [false, 4, Op.i64Load32S],
      12: [true, 8, 0], 13: [false, 8, Op.i64Load],
    };
    const PAIR: Record<number, [boolean, number, number]> = {
      0: [true, 4, 0], 1: [false, 4, Op.i64Load32U], 3: [false, 4, Op.i64Load32S], 4: [true, 8, 0], 5: [false, 8, Op.i64Load],
    };
    const spec = (single !== null ? SINGLE : PAIR)[op];
    if (spec === undefined) return false;
    const [store, size, ld] = spec;
    const form = (single ?? pair)![2];
    const a = this.address(i, w, k, form);
    const o = this.lookup(a, pair !== null ? 2 * size : size, store, w, k);
    const STORE = [0, Op.i64Store8, Op.i64Store16, 0, Op.i64Store32, 0, 0, 0, Op.i64Store];
    const access = (t: number, off: number): void => {
      if (store) { f.get(o); r.get(f, t); f.mem(STORE[size], off); return; }
      f.get(o);
      if (ld === -1) f.mem(Op.i32Load8S, off).op(Op.i64ExtendI32U);
      else if (ld === -2) f.mem(Op.i32Load16S, off).op(Op.i64ExtendI32U);
      else f.mem(ld, off);
    };
    if (single !== null) {
      access(i.rt, 0);
      if (!store) r.set(f, i.rt);
    } else if (store) {
      access(i.rt, 0); access(i.rt2, size);
    } else {
      // Rt2 first, then Rt (the handler's order, for Rt = Rt2, which is CONSTRAINED UNPREDICTABLE).
      const v = f.local(I64);
      access(i.rt, 0); f.set(v);
      access(i.rt2, size); r.set(f, i.rt2);
      f.get(v); r.set(f, i.rt);
    }
    this.writeBack(i, a, form);
    return true;
  }

  /** The base register's update of a pre- or post-indexed access at the address in local a. */
  private writeBack(i: Insn, a: number, form: string | undefined): void {
    const f = this.f, r = this.regs;
    if (form === '_pre') { f.get(a); r.set(f, i.rn); } else if (form === '_post') { f.get(a).i64(i.aux1).op(Op.i64Add); r.set(f, i.rn); }
  }

  /** Leave to the interpreter (which takes the access trap) unless the FP unit is on (AreaSlot.FPON). */
  private fpOnOrLeave(w: number, k: number): void {
    this.f.get(this.AREA).mem(Op.i32Load, slot(AreaSlot.FPON)).op(Op.i32Eqz);
    this.f.open(Op.if); this.slowExit(w, k, 3); this.f.end();
  }

  /** Loads and stores of one or two whole SIMD&FP registers (B, H, S, D, Q: 2^aux0 bytes each), as
   * codegen.ts's fpLdst: from and to the registers in the core's area (AREA_V), a load zeroing the
   * rest of the register, a pair accessing Rt then Rt2. With the FP unit off (AreaSlot.FPON) the
   * interpreter takes the trap. */
  private fpLdst(i: Insn, w: number, k: number): boolean {
    const shape = RegionShape.fpLdstShape(i);
    if (shape === null) return false;
    const f = this.f, { load, log, pair, form } = shape, size = 1 << log;
    this.fpOnOrLeave(w, k);
    const a = this.address(i, w, k, form);
    const o = this.lookup(a, pair ? 2 * size : size, !load, w, k);
    (pair ? [i.rt, i.rt2] : [i.rt]).forEach((t, e) => {
      const v = AREA_V + 16 * t, at = e * size;
      // The register's 16 bytes as two i64 halves: [lo, hi] at v and v + 8; RAM at o + at.
      if (load) {
        f.get(this.AREA); f.get(o).mem(LOAD_LOG[log], at); f.mem(Op.i64Store, v);
        f.get(this.AREA); if (log === 4) f.get(o).mem(Op.i64Load, at + 8); else f.i64(0); f.mem(Op.i64Store, v + 8);
      } else {
        f.get(o); f.get(this.AREA).mem(Op.i64Load, v); f.mem(STORE_LOG[log], at);
        if (log === 4) { f.get(o); f.get(this.AREA).mem(Op.i64Load, v + 8); f.mem(Op.i64Store, at + 8); }
      }
    });
    this.writeBack(i, a, form);
    return true;
  }

  /** The SP alignment check and the access address into a new i64 local (as codegen.ts's address). */
  private address(i: Insn, w: number, k: number, form: string | undefined): number {
    const f = this.f, r = this.regs, n = i.rn, a = f.local(I64);
    if (n === SP) {
      r.get(f, SP); f.op(Op.i32WrapI64).i32(15).op(Op.i32And);
      f.open(Op.if); this.slowExit(w, k, 3); f.end();
    }
    r.get(f, n);
    if (form === '_reg') {
      r.get(f, i.rm);
      if (i.opt === 2) f.op(Op.i32WrapI64, Op.i64ExtendI32U);
      else if (i.opt === 6) f.op(Op.i64Extend32S);
      if (i.aux2 !== 0) f.i64(i.aux2).op(Op.i64Shl);
      f.op(Op.i64Add);
    } else if (form !== '_post' && i.aux1 !== 0) f.i64(i.aux1).op(Op.i64Add);
    f.set(a);
    return a;
  }

  /** Look the page of the i64 in local a up in a direct-mapped table of the core's area (at `tab`,
   * `sets` sets of 16 bytes, each starting with its page as an i64: Cpu.dtlbR/dtlbW, Cpu.jumps): set
   * local lo to a's low half and local e to the area plus the set's offset, and push whether the set
   * holds the page of a + last, a's bits that `mask` keeps compared (one i64 compare: VA[63:32] and the
   * page together). last is the offset of an access's last byte: an access that runs into the next
   * page misses, since that page's entry would be in the next set. */
  private pageEntry(a: number, lo: number, e: number, tab: number, sets: number, last: number, mask: number): void {
    const f = this.f;
    f.get(a).op(Op.i32WrapI64).set(lo);
    f.get(this.AREA).get(lo).i32(12).op(Op.i32ShrU).i32(sets - 1).op(Op.i32And).i32(4).op(Op.i32Shl).op(Op.i32Add).set(e);
    f.get(e).mem(Op.i64Load, tab).get(a);
    if (last !== 0) f.i64(last).op(Op.i64Add);
    f.i64(mask).op(Op.i64And).op(Op.i64Eq);
  }

  /** The RAM offset (a new i32 local) of an access of `span` bytes at the i64 in local a when the
   * core's data-access cache has its page and the span stays in it, else the slow exit. A store also
   * needs no bookkeeping (no exclusive monitor open, no decoded code or snapshot on the page). */
  private lookup(a: number, span: number, store: boolean, w: number, k: number): number {
    const f = this.f, lo = f.local(I32), e = f.local(I32), o = f.local(I32);
    const tab = store ? AREA_DTLBW : AREA_DTLBR;
    // hit = the set of the access's first byte holds the page of its last, so both are on that page
    // (&& monitor idle)
    this.pageEntry(a, lo, e, tab, DTLB_SETS, span - 1, -4096);
    if (store) { f.get(this.AREA).mem(Op.i32Load, slot(AreaSlot.MON)).op(Op.i32Eqz).op(Op.i32And); }
    f.op(Op.i32Eqz).open(Op.if); this.slowExit(w, k, store ? 2 : 1); f.end();
    f.get(e).mem(Op.i32Load, tab + 8).get(lo).i32(4095).op(Op.i32And).op(Op.i32Add).set(o);
    if (store) {
      f.get(o).i32(12).op(Op.i32ShrU).mem(Op.i32Load8U, this.cpOff);
      f.open(Op.if); this.slowExit(w, k, 2); f.end();
    }
    return o;
  }
}
