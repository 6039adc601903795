// Running oracle cases on our CPU and comparing with what QEMU recorded.
//
// One Machine is reused for every case: registers, flags, TPIDR_EL0, the exclusive monitor and the
// scratch area are reset, the words are written to the code window (the code cache drops the stale
// page), and the core runs at EL0 as under qemu-user, one instruction at a time until it takes an
// exception: a UDF pad, an UNDEFINED instruction, a fault or BRK. The exception's ESR/ELR/FAR give
// the outcome that QEMU reports as a signal.

import { Buffer } from 'node:buffer';

import { Machine, MachineOptions, RAM_BASE, a64Decoder } from '../../emu/board/machine.js';
import { Access } from '../../emu/cpu/cpu.js';
import type { Cpu } from '../../emu/cpu/cpu.js';
import { SYSREG_BY_NAME } from '../../emu/cpu/sysregs.js';
import { R, LO, HI } from '../../emu/cpu/int64.js';
import { MAX_WORDS, NSLOTS, OUTCOME_NAMES, Outcome, SCRATCH, SCRATCH_SIZE, SLOT_FPCR, SLOT_FPSR, SLOT_NZCV, SLOT_SP, SLOT_TPIDR, SLOT_V, TEST_PC } from './layout.js';
import { caseRegs, seedScratch } from './state.js';
import type { Expected, FixtureCase } from './fixture.js';
import { hasAddr } from './fixture.js';
import type { Case } from './cases.js';
import type { QemuResult } from './qemu.js';

export interface OurResult {
  outcome: Outcome;
  /** ESR_EL1 of the exception that ended the case (-1 if none). */
  esr: number;
  pc: bigint;
  addr: bigint;
  regs: bigint[];
  scratch: Uint8Array;
}

const key = (name: string): number => {
  const d = SYSREG_BY_NAME.get(name);
  if (d === undefined) throw new Error(`oracle: system register ${name} unknown`);
  return d.key;
};

function toU64(lo: number, hi: number): bigint {
  return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
}

/** Linux's SCTLR_EL1 for EL0 as far as it matters here (MMU off): UCI, nTWE, nTWI, UCT, DZE, SA0, SA. */
const LINUX_SCTLR_BITS = (1 << 26) | (1 << 18) | (1 << 16) | (1 << 15) | (1 << 14) | (1 << 4) | (1 << 3);

export class OracleCpu {
  readonly m: Machine;
  readonly c: Cpu;
  private readonly words = new Uint8Array(4 * MAX_WORDS);
  private readonly wdv = new DataView(this.words.buffer);
  private readonly kEsr = key('ESR_EL1');
  private readonly kElr = key('ELR_EL1');
  private readonly kFar = key('FAR_EL1');
  private readonly kTpidr = key('TPIDR_EL0');
  private readonly kCpacr = key('CPACR_EL1');
  private readonly kFpcr = key('FPCR');
  private readonly kFpsr = key('FPSR');

  /** Offer the scratch page to the data-access cache of translated code before each case, as the
   * dispatcher would after an earlier access there, so that translated loads and stores take their
   * inline path (test/translator/oracle.test.ts). */
  warmDataCache = false;

  /** opts: further machine options (the translator's back end). */
  constructor(opts: MachineOptions = {}) {
    this.m = new Machine({ smp: 1, ramMiB: 16, semihosting: false, stdout: () => {}, stderr: () => {}, ...opts });
    this.c = this.m.cores[0];
  }

  /** System registers as Linux leaves them for EL0 (every case starts from the same state, so a
   * wrongly permitted MSR in one case cannot leak into the next). */
  private resetSysRegs(): void {
    const c = this.c;
    c.sys.reset(c);
    const kSctlr = key('SCTLR_EL1');
    if (!c.sys.read(c, kSctlr)) throw new Error('oracle: cannot read SCTLR_EL1');
    c.sys.write(c, kSctlr, (R[LO] | LINUX_SCTLR_BITS) & ~1, R[HI]);
    // CPACR_EL1.FPEN = 11: the FP/SIMD unit is on for EL0, as Linux leaves it for a task using it.
    c.sys.write(c, this.kCpacr, 3 << 20, 0);
  }

  /** Run words from the initial register slots and scratch contents. */
  run(scratch: Uint8Array, words: readonly number[], regs: readonly bigint[]): OurResult {
    const { m, c } = this;
    this.words.fill(0);
    words.forEach((w, k) => this.wdv.setUint32(4 * k, w >>> 0, true));
    m.ram.load(TEST_PC, this.words);
    m.ram.load(SCRATCH, scratch);

    // Architectural state for EL0 under Linux.
    if (c.el !== 1) c.selectSp(1, 1);
    this.resetSysRegs();
    c.selectSp(0, 0);
    for (let r = 0; r < 31; r++) {
      c.x[2 * r] = Number(regs[r] & 0xffffffffn) | 0;
      c.x[2 * r + 1] = Number(regs[r] >> 32n) | 0;
    }
    c.x[2 * 32] = Number(regs[SLOT_SP] & 0xffffffffn) | 0;
    c.x[2 * 32 + 1] = Number(regs[SLOT_SP] >> 32n) | 0;
    c.nzcv = Number(regs[SLOT_NZCV] >> 28n) & 15;
    c.sys.write(c, this.kTpidr, Number(regs[SLOT_TPIDR] & 0xffffffffn) | 0, Number(regs[SLOT_TPIDR] >> 32n) | 0);
    for (let s = 0; s < 64; s++) {
      const v = regs[SLOT_V + s];
      c.vw[2 * s] = Number(v & 0xffffffffn) | 0;
      c.vw[2 * s + 1] = Number(v >> 32n) | 0;
    }
    // Through MSR's path, so the values pass the writable masks as QEMU's did when the driver set them.
    c.sys.write(c, this.kFpcr, Number(regs[SLOT_FPCR] & 0xffffffffn) | 0, Number(regs[SLOT_FPCR] >> 32n) | 0);
    c.sys.write(c, this.kFpsr, Number(regs[SLOT_FPSR] & 0xffffffffn) | 0, Number(regs[SLOT_FPSR] >> 32n) | 0);
    c.daif = 0;
    c.exclPa = -1;
    m.monitor.clear(c.id);
    c.event = 0;
    c.sleep = 0;
    c.flow = 0;
    c.pcLo = TEST_PC | 0; c.pcHi = 0;
    c.resetFetch();
    if (this.warmDataCache) {
      for (let p = SCRATCH; p < SCRATCH + SCRATCH_SIZE; p += 4096) {
        c.translate(p, 0, Access.Read, 1); c.dtlbFill(c.dtlbR, p, 0);
        c.translate(p, 0, Access.Write, 1); c.dtlbFill(c.dtlbW, p, 0);
      }
    }

    // Step until an exception takes the core to EL1.
    let steps = 0;
    while (c.el === 0 && steps < words.length + 4 && c.sleep === 0) {
      c.run(1);
      steps++;
    }

    const out: bigint[] = [];
    for (let r = 0; r < 31; r++) out.push(toU64(c.x[2 * r], c.x[2 * r + 1]));
    c.getSpEl(0);
    out.push(toU64(R[LO], R[HI]));
    out.push(BigInt(c.nzcv) << 28n);
    c.sys.read(c, this.kTpidr);
    out.push(toU64(R[LO], R[HI]));
    for (let s = 0; s < 64; s++) out.push(toU64(c.vw[2 * s], c.vw[2 * s + 1]));
    c.sys.read(c, this.kFpcr);
    out.push(toU64(R[LO], R[HI]));
    c.sys.read(c, this.kFpsr);
    out.push(toU64(R[LO], R[HI]));
    const after = m.ram.u8.slice(SCRATCH - RAM_BASE, SCRATCH - RAM_BASE + SCRATCH_SIZE);
    if (c.el === 0) {
      c.sleep = 0;
      return { outcome: Outcome.Timeout, esr: -1, pc: toU64(c.pcLo, c.pcHi), addr: 0n, regs: out, scratch: after };
    }
    c.sys.read(c, this.kEsr);
    const esr = R[LO] >>> 0;
    c.sys.read(c, this.kElr);
    const pc = toU64(R[LO], R[HI]);
    c.sys.read(c, this.kFar);
    const far = toU64(R[LO], R[HI]);
    const outcome = outcomeOfEsr(esr);
    return { outcome, esr, pc, addr: hasAddr(outcome) ? far : 0n, regs: out, scratch: after };
  }
}

/** The signal Linux would send for an exception from EL0 with this syndrome. */
export function outcomeOfEsr(esr: number): Outcome {
  const ec = esr >>> 26, fsc = esr & 0x3f;
  switch (ec) {
    case 0x00: case 0x0e: case 0x18: return Outcome.Ill; // Unknown, illegal state, trapped MSR/MRS
    case 0x3c: return Outcome.Brk;
    case 0x22: case 0x26: return Outcome.Align; // PC / SP alignment
    case 0x20: case 0x21: case 0x24: case 0x25: return fsc === 0x21 ? Outcome.Align : Outcome.Segv;
    default: return Outcome.Other;
  }
}

/** Expected result (as stored in fixtures) from QEMU's report for a case. */
export function expectedFrom(c: Case, q: QemuResult): Expected {
  const init = caseRegs(c.seed, c.overrides);
  const changed = new Map<number, bigint>();
  for (let s = 0; s < NSLOTS; s++) if (q.regs[s] !== init[s]) changed.set(s, q.regs[s]);
  return { outcome: q.outcome, signo: q.signo, pc: q.pc, addr: hasAddr(q.outcome) ? q.addr : 0n, changed, runs: q.runs };
}

export interface Verdict {
  ok: boolean;
  init: bigint[];
  initScratch: Uint8Array;
  wantRegs: bigint[];
  wantScratch: Uint8Array;
  ours: OurResult;
  diffs: string[];
}

/** Run a fixture case on our CPU and compare. */
export function check(cpu: OracleCpu, fc: FixtureCase): Verdict {
  const init = caseRegs(fc.seed, fc.overrides);
  const initScratch = seedScratch(fc.seed);
  const ours = cpu.run(initScratch, fc.words, init);
  const e = fc.expected;
  const wantRegs = [...init];
  for (const [s, v] of e.changed) wantRegs[s] = v;
  const wantScratch = initScratch.slice();
  for (const r of e.runs) wantScratch.set(r.bytes, r.off);
  const diffs: string[] = [];
  if (ours.outcome !== e.outcome) diffs.push('outcome');
  if (ours.pc !== e.pc) diffs.push('pc');
  // DC ZVA: qemu-user reports where its host memset of the block first faulted, which depends on the
  // host's memset; both must lie in the same 64-byte block (ours is its first byte).
  const zva = fc.words.length === 1 && (fc.words[0] & ~31) === (0xd50b7420 | 0);
  const sameAddr = zva ? (ours.addr & ~63n) === (e.addr & ~63n) : ours.addr === e.addr;
  if (hasAddr(e.outcome) && ours.outcome === e.outcome && !sameAddr) diffs.push('fault address');
  for (let s = 0; s < NSLOTS; s++) {
    if (ours.regs[s] !== wantRegs[s] && !diffs.includes(diffName(s))) diffs.push(diffName(s));
  }
  if (Buffer.compare(ours.scratch, wantScratch) !== 0) diffs.push('memory');
  return { ok: diffs.length === 0, init, initScratch, wantRegs, wantScratch, ours, diffs };
}

export function slotName(s: number): string {
  if (s >= SLOT_V && s < SLOT_V + 64) return `v${(s - SLOT_V) >> 1}${(s - SLOT_V) & 1 ? '[127:64]' : '[63:0]'}`;
  return s < 31 ? `x${s}` : s === SLOT_SP ? 'sp' : s === SLOT_NZCV ? 'nzcv' : s === SLOT_TPIDR ? 'tpidr_el0'
    : s === SLOT_FPCR ? 'fpcr' : s === SLOT_FPSR ? 'fpsr' : `slot${s}`;
}

/** A V register's two slots as one name (for the list of differences). */
function diffName(s: number): string {
  return s >= SLOT_V && s < SLOT_V + 64 ? `v${(s - SLOT_V) >> 1}` : slotName(s);
}

function hex(v: bigint): string {
  return v.toString(16).padStart(16, '0');
}

function fmtSlot(s: number, v: bigint): string {
  if (s === SLOT_NZCV) {
    const n = Number(v >> 28n);
    return ('NZCV'.split('').map((f, k) => ((n >> (3 - k)) & 1 ? f : '-')).join('')).padEnd(16);
  }
  return hex(v);
}

/** Our decode table's name for a word. */
export function ourRowName(word: number): string {
  return a64Decoder().decode(word).name;
}

/** A readable report of one case: disassembly, initial state, QEMU's and our final states side by
 * side with the differences marked, and the scratch bytes that differ. */
export function report(fc: FixtureCase, v: Verdict, disasm: (w: number, a: number) => string): string {
  const L: string[] = [];
  const e = fc.expected;
  L.push(`${fc.name}  (our decoder: ${fc.words.map(ourRowName).join(' ; ')})  seed=0x${(fc.seed >>> 0).toString(16)}  differs in: ${v.diffs.join(', ')}`);
  fc.words.forEach((w, k) => {
    const a = TEST_PC + 4 * k;
    L.push(`    ${a.toString(16)}: ${(w >>> 0).toString(16).padStart(8, '0')}  ${disasm(w, a)}`);
  });
  const o = v.ours;
  const desc = (out: Outcome, pc: bigint, addr: bigint): string => `${OUTCOME_NAMES[out]} at pc=0x${pc.toString(16)}${hasAddr(out) ? ` addr=0x${addr.toString(16)}` : ''}`;
  const mark = (b: boolean): string => (b ? '  <<<' : '');
  L.push(`  end:  qemu ${desc(e.outcome, e.pc, e.addr)}   ours ${desc(o.outcome, o.pc, o.addr)}${o.esr >= 0 ? ` (ESR 0x${o.esr.toString(16)})` : ''}${mark(o.outcome !== e.outcome || o.pc !== e.pc || (hasAddr(e.outcome) && o.addr !== e.addr))}`);
  L.push(`  ${'reg'.padEnd(10)} ${'initial'.padEnd(16)}   ${'qemu'.padEnd(16)}   ${'ours'.padEnd(16)}`);
  for (let s = 0; s < NSLOTS; s++) {
    const i = v.init[s], q = v.wantRegs[s], u = o.regs[s];
    // SIMD&FP slots only where something changed (or the case is an FP one: FPCR/FPSR always).
    if (s >= SLOT_V && q === i && u === i && s < SLOT_FPCR) continue;
    L.push(`  ${slotName(s).padEnd(10)} ${fmtSlot(s, i)}   ${q === i ? ' '.repeat(16) : fmtSlot(s, q)}   ${u === i ? ' '.repeat(16) : fmtSlot(s, u)}${mark(q !== u)}`);
  }
  L.push('  (blank = unchanged from initial; V registers only where changed)');
  const bad: number[] = [];
  for (let k = 0; k < SCRATCH_SIZE; k++) if (o.scratch[k] !== v.wantScratch[k]) bad.push(k);
  if (bad.length > 0) {
    L.push(`  memory: ${bad.length} byte(s) differ (scratch at 0x${SCRATCH.toString(16)})`);
    const shown = new Set<number>();
    for (const k of bad) {
      const row = k & ~15;
      if (shown.has(row) || shown.size >= 8) continue;
      shown.add(row);
      const bytes = (b: Uint8Array): string => Array.from(b.subarray(row, row + 16), (x) => x.toString(16).padStart(2, '0')).join(' ');
      L.push(`    +${row.toString(16).padStart(3, '0')} initial ${bytes(v.initScratch)}`);
      L.push(`         qemu    ${bytes(v.wantScratch)}`);
      L.push(`         ours    ${bytes(o.scratch)}`);
    }
  }
  return L.join('\n');
}

export interface Summary {
  total: number;
  failed: number;
  /** Mismatch count per catalogue name (with our decoder's row name). */
  byName: Map<string, number>;
  /** Reports of the first few mismatches per name. */
  reports: string[];
}

/** Check many cases; keep at most `perName` reports for each instruction name. */
export function checkAll(cpu: OracleCpu, cases: readonly FixtureCase[], disasm: (w: number, a: number) => string, perName = 2): Summary {
  const byName = new Map<string, number>();
  const reports: string[] = [];
  let failed = 0;
  for (const fc of cases) {
    let v: Verdict;
    try {
      v = check(cpu, fc);
    } catch (err) {
      // A host exception from the emulator is a failure of the case, reported like a mismatch.
      failed++;
      const k = `${fc.name} [ours: ${fc.words.map(ourRowName).join(';')}]`;
      byName.set(k, (byName.get(k) ?? 0) + 1);
      if ((byName.get(k) ?? 0) <= perName) reports.push(`${fc.name} seed=0x${fc.seed.toString(16)}: host exception ${(err as Error).stack ?? err}`);
      continue;
    }
    if (v.ok) continue;
    failed++;
    const k = `${fc.name} [ours: ${fc.words.map(ourRowName).join(';')}]`;
    const n = (byName.get(k) ?? 0) + 1;
    byName.set(k, n);
    if (n <= perName) reports.push(report(fc, v, disasm));
  }
  return { total: cases.length, failed, byName, reports };
}

export function formatSummary(label: string, s: Summary): string {
  const rows = [...s.byName].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const head = `${label}: ${s.failed} of ${s.total} cases differ from QEMU`;
  return [head, ...rows.map(([n, c]) => `  ${String(c).padStart(6)}  ${n}`), '', ...s.reports.map((r) => r + '\n')].join('\n');
}
