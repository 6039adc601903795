// Running cases under qemu-aarch64: build the static driver (driver.c) with the cross compiler, write
// the cases as fixed-size records, run the driver (several processes in parallel) and parse results.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Case } from './cases.js';
import { MAX_WORDS, NSLOTS, Outcome, SLOT_FPCR, SLOT_FPSR, SLOT_NZCV, SLOT_SP, SLOT_TPIDR, SLOT_V } from './layout.js';
import { caseRegs } from './state.js';

export const QEMU = process.env.ORACLE_QEMU ?? 'qemu-aarch64';
export const CROSS_CC = process.env.ORACLE_CC ?? 'aarch64-linux-gnu-gcc';
/** The CPU model closest to ARMv8.0 + LSE + LDAPR that QEMU 7.2 offers (no pointer authentication,
 * whose hints would otherwise change X30): the integer classes run on it. */
export const QEMU_CPU = process.env.ORACLE_CPU ?? 'cortex-a76';
/** The SIMD&FP classes run on the Cortex-A57 model: ARMv8.0 FP/AdvSIMD plus the crypto extension,
 * without the ARMv8.2 half-precision arithmetic, dot product etc. the A76 model adds (which a64emu
 * does not implement: those encodings must be UNDEFINED). */
export const QEMU_CPU_FP = process.env.ORACLE_CPU_FP ?? 'cortex-a57';

export interface Run { off: number; bytes: Uint8Array }

/** What QEMU reported for one case. regs: the state slots (layout.ts): X0-X30, SP, NZCV (bits 31:28),
 * TPIDR_EL0, V0-V31 as 64-bit halves, FPCR, FPSR. */
export interface QemuResult {
  signo: number;
  code: number;
  outcome: Outcome;
  pc: bigint;
  addr: bigint;
  regs: bigint[];
  scratchHash: number;
  runs: Run[];
}

const IN_SIZE = 824;
const OUT_HEAD = 832;

function driverSource(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const p of [join(here, 'driver.c'), join(here, '..', '..', '..', 'tools', 'oracle', 'driver.c')]) {
    if (existsSync(p)) return p;
  }
  throw new Error('oracle: tools/oracle/driver.c not found');
}

/** Build the driver once per source version (cached in the temporary directory); returns its path. */
export function buildDriver(): string {
  const src = driverSource();
  const text = readFileSync(src);
  const hash = createHash('sha256').update(text).update(CROSS_CC).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), 'a64emu-oracle');
  const exe = join(dir, `driver-${hash}`);
  if (existsSync(exe)) return exe;
  mkdirSync(dir, { recursive: true });
  const tmp = `${exe}.${process.pid}.tmp`;
  const r = spawnSync(CROSS_CC, ['-static', '-O1', '-fno-stack-protector', '-Wall', '-o', tmp, src], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`oracle: building the driver failed:\n${r.stderr ?? r.error}`);
  // rename is atomic: parallel builders all end up with a complete file.
  renameSync(tmp, exe);
  return exe;
}

function putU64(dv: DataView, off: number, v: bigint): void {
  dv.setBigUint64(off, BigInt.asUintN(64, v), true);
}

export function encodeInput(cases: readonly Case[]): Uint8Array {
  const buf = new Uint8Array(cases.length * IN_SIZE);
  const dv = new DataView(buf.buffer);
  cases.forEach((c, k) => {
    const o = k * IN_SIZE;
    if (c.words.length > MAX_WORDS) throw new Error('oracle: too many words');
    dv.setUint32(o, c.seed >>> 0, true);
    dv.setUint32(o + 4, c.words.length, true);
    c.words.forEach((w, j) => dv.setUint32(o + 8 + 4 * j, w >>> 0, true));
    const regs = caseRegs(c.seed, c.overrides);
    for (let r = 0; r < 31; r++) putU64(dv, o + 24 + 8 * r, regs[r]);
    putU64(dv, o + 272, regs[SLOT_SP]);
    putU64(dv, o + 280, regs[SLOT_NZCV]);
    putU64(dv, o + 288, regs[SLOT_TPIDR]);
    putU64(dv, o + 296, regs[SLOT_FPCR]);
    putU64(dv, o + 304, regs[SLOT_FPSR]);
    for (let s = 0; s < 64; s++) putU64(dv, o + 312 + 8 * s, regs[SLOT_V + s]);
  });
  return buf;
}

export function outcomeOfSignal(signo: number, code: number): Outcome {
  switch (signo) {
    case 4: return Outcome.Ill;
    case 5: return Outcome.Brk;
    case 11: return Outcome.Segv;
    case 7: return code === 1 ? Outcome.Align : Outcome.Bus; // BUS_ADRALN
    case 26: return Outcome.Timeout; // SIGVTALRM: the driver's CPU-time limit
    default: return Outcome.Other;
  }
}

export function decodeOutput(raw: Uint8Array, n: number): QemuResult[] {
  const buf = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength); // not a Buffer: slice() copies
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: QemuResult[] = [];
  let o = 0;
  for (let k = 0; k < n; k++) {
    if (o + OUT_HEAD > buf.length) throw new Error(`oracle: driver output ends after ${k} of ${n} cases`);
    const signo = dv.getUint32(o, true), code = dv.getUint32(o + 4, true);
    const pc = dv.getBigUint64(o + 8, true), addr = dv.getBigUint64(o + 16, true);
    const regs: bigint[] = [];
    for (let r = 0; r < 31; r++) regs.push(dv.getBigUint64(o + 24 + 8 * r, true));
    regs.push(dv.getBigUint64(o + 272, true));
    regs.push(dv.getBigUint64(o + 280, true) & 0xf0000000n);
    regs.push(dv.getBigUint64(o + 288, true));
    for (let s = 0; s < 64; s++) regs.push(dv.getBigUint64(o + 320 + 8 * s, true));
    regs.push(dv.getBigUint64(o + 304, true));
    regs.push(dv.getBigUint64(o + 312, true));
    const scratchHash = dv.getUint32(o + 296, true), nruns = dv.getUint32(o + 300, true);
    o += OUT_HEAD;
    const runs: Run[] = [];
    for (let r = 0; r < nruns; r++) {
      const off = dv.getUint16(o, true), len = dv.getUint16(o + 2, true);
      runs.push({ off, bytes: buf.slice(o + 4, o + 4 + len) });
      o += 4 + len;
    }
    if (regs.length !== NSLOTS || regs[SLOT_FPSR] === undefined) throw new Error('oracle: slots');
    if (regs[SLOT_FPCR] === 0xffffffffffffffffn) throw new Error('oracle: the signal frame had no FP/SIMD record');
    out.push({ signo, code, outcome: outcomeOfSignal(signo, code), pc, addr, regs, scratchHash, runs });
  }
  if (o !== buf.length) throw new Error('oracle: trailing driver output');
  return out;
}

function runOne(driver: string, cases: readonly Case[], dir: string, tag: string, cpu: string): Promise<QemuResult[]> {
  const inPath = join(dir, `in-${tag}.bin`), outPath = join(dir, `out-${tag}.bin`);
  writeFileSync(inPath, encodeInput(cases));
  return new Promise((resolve, reject) => {
    const p = spawn(QEMU, ['-cpu', cpu, driver, inPath, outPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    p.on('error', reject);
    p.on('close', (status) => {
      if (status !== 0) { reject(new Error(`oracle: ${QEMU} exited with ${status}: ${err.slice(0, 2000)}`)); return; }
      try { resolve(decodeOutput(readFileSync(outPath), cases.length)); } catch (e) { reject(e); }
    });
  });
}

/** Run cases under QEMU in batches, `jobs` processes at a time; results are in case order. */
export async function runUnderQemu(cases: readonly Case[], opts: { jobs?: number; batch?: number; cpu?: (c: Case) => string } = {}): Promise<QemuResult[]> {
  const driver = buildDriver();
  const jobs = Math.max(1, opts.jobs ?? 2);
  const batch = opts.batch ?? 2000;
  const dir = mkdtempSync(join(tmpdir(), 'a64emu-oracle-run-'));
  try {
    // Batches of consecutive cases for the same CPU model.
    const cpuOf = opts.cpu ?? (() => QEMU_CPU);
    const batches: { from: number; to: number; cpu: string }[] = [];
    for (let k = 0; k < cases.length;) {
      const cpu = cpuOf(cases[k]);
      let j = k + 1;
      while (j < cases.length && j - k < batch && cpuOf(cases[j]) === cpu) j++;
      batches.push({ from: k, to: j, cpu });
      k = j;
    }
    const results: QemuResult[][] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      for (;;) {
        const k = next++;
        if (k >= batches.length) return;
        const b = batches[k];
        results[k] = await runOne(driver, cases.slice(b.from, b.to), dir, String(k), b.cpu);
      }
    };
    await Promise.all(Array.from({ length: jobs }, worker));
    return results.flat();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether a command can be run (found on PATH and starts). */
export function commandWorks(cmd: string, args: string[] = ['--version']): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}
