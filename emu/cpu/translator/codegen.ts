// Turns a run of decoded instructions (one basic block, inside one physical page) into the source of a
// JavaScript function `(c) => void` that does what the interpreter's inner loop would do for them.
//
// Contract with the dispatcher (translator.ts):
// - On entry c.pcLo/c.pcHi is the block's first instruction and c.flow is Flow.Next.
// - On return c.retiredInRun counts every instruction that retired, the PC is that of the next
//   instruction, and c.flow is how the last one left (Next, Jump or Exit), exactly as after the same
//   instructions in the interpreter.
// - Before anything that can observe or fault (a handler call, a memory access), c.pcLo and
//   c.retiredInRun are those of the instruction, as the interpreter has them; an INSN_ABORTED thrown
//   there is caught by the dispatcher as by the interpreter (which counts the aborted instruction).
// - After a handler call, or a store, the block stops when the handler changed the flow, reset the
//   fetch cache (TLB maintenance, MMU or EL change) or the block itself was invalidated (code written),
//   so the next instruction is fetched again exactly as the interpreter would.
//
// Registers are read and written in the core's Int32Arrays directly (X = c.lo, Y = c.hi): nothing needs
// writing back at an exit or before a call. Index 31 (XZR) is never written.
// Everything not listed here calls its handler, so any instruction the interpreter runs, a block runs.

import type { Insn } from '../insn.js';
import { SP, XZR } from '../cpu.js';
import { emitDp, Names } from './emit-dp.js';

export interface Emitted { src: string; ends: boolean }

const COND = [
  'c.zf === 1', 'c.cf === 1', 'c.nf === 1', 'c.vf === 1',
  '(c.cf === 1 && c.zf === 0)', 'c.nf === c.vf', '(c.nf === c.vf && c.zf === 0)', 'true',
];

/** ConditionHolds(cond) as an expression. */
export function condExpr(cond: number): string {
  const e = COND[cond >>> 1];
  if ((cond >>> 1) === 7) return 'true';
  return (cond & 1) === 1 ? `!(${e})` : e;
}

/** Guest state as this writer names it: the core's register arrays and flag fields. */
const NAMES: Names = {
  lo: (n) => (n === XZR ? '0' : `X[${n}]`),
  hi: (n) => (n === XZR ? '0' : `Y[${n}]`),
  set: (n, lo, hi) => (n === XZR ? '' : `{ const s_l = ${lo}, s_h = ${hi}; X[${n}] = s_l; Y[${n}] = s_h; }`),
  flag: (f) => `c.${f}f`,
};

/** Names of instructions after which a block always ends (they branch, or usually leave the loop). */
const ENDS = new Set([
  'B', 'BL', 'B.cond', 'CBZ', 'CBNZ', 'TBZ', 'TBNZ', 'BR', 'BLR', 'RET', 'ERET',
  'SVC', 'HVC', 'SMC', 'BRK', 'HLT', 'DCPS', 'WFE', 'WFI', 'ISB', 'MSR_reg', 'MSR_imm', 'UNDEFINED',
]);

export function endsBlock(i: Insn): boolean { return ENDS.has(i.name); }

/** One instruction of a block: the decoded instruction and its word index in the page. */
export interface TraceInsn { insn: Insn; w: number }

/** Emits code for one block: a trace of instructions in one page, in execution order. It goes on past a
 * conditional branch that is not taken (the taken branch leaves the block) and through a B to a
 * word of the same page; a branch back to the block's first instruction loops inside the function
 * (checking the budget and pending interrupts at each turn, as the interpreter does after a jump). */
export class BlockWriter {
  private out: string[] = [];
  readonly insns: Insn[];
  private n: number;
  private w0: number;
  private loops = false;

  constructor(readonly trace: TraceInsn[]) {
    this.insns = trace.map((t) => t.insn);
    this.n = trace.length;
    this.w0 = trace[0].w;
  }

  /** Byte offset of instruction k from the block's first instruction. */
  private off(k: number): number { return 4 * (this.trace[k].w - this.w0); }

  private pcAt(k: number): string { const o = this.off(k); return o === 0 ? 'P' : `(P + ${o}) | 0`; }

  /** Make the PC and count exact for instruction k (before it may fault or call out). */
  private sync(k: number): string { return `c.pcLo = ${this.pcAt(k)}; c.retiredInRun = r0 + ${k};`; }

  /** Leave after instruction k retired with flow Next: the PC goes to the next word. */
  private leaveNext(k: number): string {
    // Inside a page, P + off only wraps 32 bits when it leaves the page (after the page's last word).
    const o = this.off(k) + 4;
    const carry = this.trace[k].w === (1 << 10) - 1 ? ' if (l === 0) c.pcHi = (c.pcHi + 1) | 0;' : '';
    return `{ const l = (P + ${o}) | 0;${carry} c.pcLo = l; c.retiredInRun = r0 + ${k + 1}; return; }`;
  }

  /** The PC-relative target (PC of instruction k) + off into (tl, th). */
  private target(k: number, off: number): string {
    return `const tl = (P >>> 0) + ${this.off(k) + off}; const th = (PH + Math.floor(tl / 4294967296)) | 0;`;
  }

  /** A taken branch of instruction k to PC_k + off: back to the start (loop), or out of the block. */
  private taken(k: number, off: number): string {
    if (this.off(k) + off === 0) {
      this.loops = true;
      return `{ r0 += ${k + 1}; if (c.irqPending || r0 + ${this.n} > budget) { c.pcLo = P; c.flow = 1; c.retiredInRun = r0; return; } continue; }`;
    }
    return `{ ${this.target(k, off)} ${this.jumpTo(k)} }`;
  }

  private jumpTo(k: number): string { return `c.pcLo = tl | 0; c.pcHi = th; c.flow = 1; c.retiredInRun = r0 + ${k + 1}; return;`; }

  build(): string {
    const o = this.out;
    for (let k = 0; k < this.n; k++) {
      const i = this.insns[k];
      const s = this.inline(i, k);
      if (s !== null) o.push(s);
      else o.push(this.call(k));
    }
    // Fall through to the next word unless the last instruction left on every path.
    const last = this.insns[this.n - 1].name;
    if (!(last === 'B' || last === 'BL' || last === 'BR' || last === 'BLR' || last === 'RET')) o.push(this.leaveNext(this.n - 1));
    const head = 'const X = c.lo, Y = c.hi, P = c.pcLo, PH = c.pcHi; let r0 = c.retiredInRun;';
    return this.loops ? `${head}\nfor (;;) {\n${o.join('\n')}\n}` : `${head}\n${o.join('\n')}`;
  }

  /** A call to the instruction's handler, with the checks after it. */
  private call(k: number): string {
    return `${this.sync(k)} I${k}.exec(c, I${k});\n` +
      `if (c.flow !== 0) { c.retiredInRun = r0 + ${k + 1}; return; }\n` +
      `if (c.curPage === null || B.valid === false) ${this.leaveNext(k)}`;
  }

  /** After a store: stop if it wrote this block's code. */
  private afterStore(k: number): string {
    return k === this.n - 1 ? '' : `if (B.valid === false) ${this.leaveNext(k)}`;
  }

  private wx(d: number, lo: string, hi: string): string {
    if (d === XZR) return '';
    return `X[${d}] = ${lo}; Y[${d}] = ${hi};`;
  }

  /** Inline code for instruction k, or null to call its handler. */
  private inline(i: Insn, k: number): string | null {
    const dp = emitDp(i, NAMES);
    if (dp !== null) return dp;
    const name = i.name, d = i.rd, n = i.rn;
    switch (name) {
      // ---- PC-relative addressing (data processing is emit-dp.ts)
      case 'ADR': return `{ ${this.target(k, i.aux0)} ${this.wx(d, 'tl | 0', 'th')} }`;
      case 'ADRP': {
        // (P & ~0xfff) is the same for every word of the page.
        return `{ const l = ((P & ~0xfff) >>> 0) + ${i.aux0 >>> 0}; ${this.wx(d, 'l | 0', `(PH + ${i.aux1} + (l > 0xffffffff ? 1 : 0)) | 0`)} }`;
      }

      // ---- branches
      case 'B': {
        // Followed inside the block when the next trace entry is its target: only the interpreter's
        // check after a jump remains (leave when an interrupt is pending).
        if (k + 1 < this.n && this.trace[k + 1].w === this.trace[k].w + (i.aux0 >> 2)) {
          return `if (c.irqPending) { ${this.target(k, i.aux0)} ${this.jumpTo(k)} }`;
        }
        return this.taken(k, i.aux0);
      }
      case 'BL': return `{ ${this.target(k, 4)} X[30] = tl | 0; Y[30] = th; } ${this.taken(k, i.aux0)}`;
      case 'B.cond': return `if (${condExpr(i.cond)}) ${this.taken(k, i.aux0)}`;
      case 'CBZ': case 'CBNZ': {
        const z = i.sf !== 0 ? `(X[${i.rt}] | Y[${i.rt}]) === 0` : `X[${i.rt}] === 0`;
        return `if (${name === 'CBZ' ? '' : '!'}(${z})) ${this.taken(k, i.aux0)}`;
      }
      case 'TBZ': case 'TBNZ': {
        const b = i.aux1;
        const bit = b >= 32 ? `((Y[${i.rt}] >>> ${b - 32}) & 1)` : `((X[${i.rt}] >>> ${b}) & 1)`;
        return `if (${bit} ${name === 'TBZ' ? '===' : '!=='} 0) ${this.taken(k, i.aux0)}`;
      }
      case 'BR': case 'RET':
        return `c.pcLo = X[${n}]; c.pcHi = Y[${n}]; c.flow = 1; c.retiredInRun = r0 + ${k + 1}; return;`;
      case 'BLR':
        return `{ const jl = X[${n}], jh = Y[${n}]; ${this.target(k, 4)} X[30] = tl | 0; Y[30] = th; c.pcLo = jl; c.pcHi = jh; c.flow = 1; c.retiredInRun = r0 + ${k + 1}; return; }`;
      case 'NOP': return '';

      // ---- loads and stores (the access itself through the core's read/write, so translation,
      // alignment, MMIO and the store bookkeeping are the interpreter's)
      default:
        return this.ldst(i, k);
    }
  }

  /** Single-register and pair loads/stores of general registers. */
  private ldst(i: Insn, k: number): string | null {
    const name = i.name;
    let form: 'imm' | 'pre' | 'post' | 'reg';
    const single = /^(STRB|LDRB|LDRSB_x|LDRSB_w|STRH|LDRH|LDRSH_x|LDRSH_w|STR_w|LDR_w|LDRSW|STR_x|LDR_x|STURB|LDURB|LDURSB_x|LDURSB_w|STURH|LDURH|LDURSH_x|LDURSH_w|STUR_w|LDUR_w|LDURSW|STUR_x|LDUR_x)(_uimm|_pre|_post|_reg)?$/.exec(name);
    const pair = /^(STP|LDP|LDPSW|STNP|LDNP)(_off|_pre|_post)?$/.exec(name);
    if (single === null && pair === null) return null;
    const n = i.rn;
    const sfx = (single ?? pair)![2];
    form = sfx === '_pre' ? 'pre' : sfx === '_post' ? 'post' : sfx === '_reg' ? 'reg' : 'imm';
    let s = `${this.sync(k)} `;
    if (n === SP) s += 'H.checkSp(c); ';
    // Effective address into (al, ah): ea() (as the handlers compute it) leaves it in R.
    if (form === 'imm' || form === 'pre') s += `H.ea(X[${n}], Y[${n}], ${i.aux1}); const al = R[0], ah = R[1];`;
    else if (form === 'post') s += `const al = X[${n}], ah = Y[${n}];`;
    else {
      const m = i.rm, opt = i.opt, sh = i.aux2;
      s += `let ol = X[${m}], oh = ${opt === 2 ? '0' : opt === 6 ? 'ol >> 31' : `Y[${m}]`}; `;
      if (sh !== 0) s += `oh = (oh << ${sh}) | (ol >>> ${32 - sh}); ol <<= ${sh}; `;
      s += `const l = (X[${n}] >>> 0) + (ol >>> 0); const al = l | 0, ah = (Y[${n}] + oh + (l > 0xffffffff ? 1 : 0)) | 0;`;
    }
    let store = false;
    s += ' ';
    if (single !== null) {
      const op = i.aux0, t = i.rt;
      const w = (v: string, h: string): string => (t === XZR ? v + ';' : `{ const v = ${v}; X[${t}] = v; Y[${t}] = ${h}; }`);
      switch (op) {
        case 0: s += `c.write8(al, ah, X[${t}]);`; store = true; break;
        case 1: s += w('c.read8(al, ah)', '0'); break;
        case 2: s += w('(c.read8(al, ah) << 24) >> 24', 'v >> 31'); break;
        case 3: s += w('(c.read8(al, ah) << 24) >> 24', '0'); break;
        case 4: s += `c.write16(al, ah, X[${t}]);`; store = true; break;
        case 5: s += w('c.read16(al, ah)', '0'); break;
        case 6: s += w('(c.read16(al, ah) << 16) >> 16', 'v >> 31'); break;
        case 7: s += w('(c.read16(al, ah) << 16) >> 16', '0'); break;
        case 8: s += `c.write32(al, ah, X[${t}]);`; store = true; break;
        case 9: s += w('c.read32(al, ah)', '0'); break;
        case 10: s += w('c.read32(al, ah)', 'v >> 31'); break;
        case 12: s += `c.write64(al, ah, X[${t}], Y[${t}]);`; store = true; break;
        case 13: s += t === XZR ? 'c.read64(al, ah);' : `c.read64(al, ah); X[${t}] = R[0]; Y[${t}] = R[1];`; break;
        default: return null;
      }
    } else {
      const op = i.aux0, t = i.rt, t2 = i.rt2;
      const next = (sz: number): string => `H.ea(al, ah, ${sz}); const bl = R[0], bh = R[1];`;
      switch (op) {
        case 0: s += `c.write32(al, ah, X[${t}]); ${next(4)} c.write32(bl, bh, X[${t2}]);`; store = true; break;
        case 1: case 3: {
          const hx = op === 3 ? (v: string): string => `${v} >> 31` : (): string => '0';
          s += `{ const a = c.read32(al, ah); ${next(4)} const b = c.read32(bl, bh); `;
          if (t2 !== XZR) s += `X[${t2}] = b; Y[${t2}] = ${hx('b')}; `;
          if (t !== XZR) s += `X[${t}] = a; Y[${t}] = ${hx('a')}; `;
          s += '}';
          break;
        }
        case 4: s += `c.write64(al, ah, X[${t}], Y[${t}]); ${next(8)} c.write64(bl, bh, X[${t2}], Y[${t2}]);`; store = true; break;
        case 5:
          s += `{ c.read64(al, ah); const a = R[0], ah2 = R[1]; ${next(8)} c.read64(bl, bh); `;
          if (t2 !== XZR) s += `X[${t2}] = R[0]; Y[${t2}] = R[1]; `;
          if (t !== XZR) s += `X[${t}] = a; Y[${t}] = ah2; `;
          s += '}';
          break;
        default: return null;
      }
    }
    if (form === 'pre') s += ` X[${n}] = al; Y[${n}] = ah;`;
    else if (form === 'post') {
      s += ` H.ea(al, ah, ${i.aux1}); X[${n}] = R[0]; Y[${n}] = R[1];`;
    }
    if (store) s += ` ${this.afterStore(k)}`;
    return `{ ${s} }`;
  }
}
