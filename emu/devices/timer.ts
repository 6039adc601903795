// The Arm generic timer of one core (Arm ARM D11): the EL1 physical timer (CNTP_*, PPI 30), the EL1
// virtual timer (CNTV_*, PPI 27) and the EL2 physical timer (CNTHP_*, PPI 26), with CNTFRQ_EL0,
// CNTPCT_EL0, CNTVCT_EL0, CNTKCTL_EL1, CNTHCTL_EL2 and CNTVOFF_EL2. The system registers are defined
// below with defineSysReg; their hooks find the per-core timer through c.timer.
//
// Time is virtual: the physical count of a core is c.env.counter(c), which the board derives from
// retired instructions. The virtual count is the physical count minus CNTVOFF_EL2 (mod 2^64).
//
// ---------------------------------------------------------------- board API
//
//   const t = new GenericTimer(c, (core, intid, level) => gic.setPpi(core, intid, level));
//   c.timer = t;
//   t.onEvent = () => board.wakeEvent(c);  // the event stream (CNTKCTL_EL1/CNTHCTL_EL2.EVNTEN) fired
//   t.update(now)            // re-evaluate the PPI outputs (and the event stream) at physical count `now`;
//                            // call at block boundaries / quantum ends and after skipping time. Times
//                            // before the latest update are treated as the latest (time never goes back).
//   t.nextDeadline()         // earliest physical count after the latest update at which an enabled,
//                            // unmasked timer's condition becomes met; Infinity if none will (a timer
//                            // already met is already asserting its PPI). Above 2^53 the value is rounded.
//   t.nextEventStream()      // earliest physical count after the latest update at which the event
//                            // stream fires; Infinity when disabled
//   t.reset()                // core reset (PSCI CPU_ON): timers off, CNTKCTL 0, CNTHCTL 3, CNTVOFF 0
//
// Register writes re-evaluate the outputs at once (at the writing core's counter), so a write that
// disables or masks a timer drops its PPI before the next instruction.
//
// ---------------------------------------------------------------- choices made
//
// - The timer condition is the unsigned 64-bit comparison count >= CVAL (QEMU). CTL.ISTATUS reads as
//   that condition while ENABLE = 1 and as 0 while ENABLE = 0 (QEMU). The PPI is asserted (level)
//   while ENABLE = 1, IMASK = 0 and ISTATUS = 1.
// - TVAL reads (CVAL - count)[31:0] zero-extended (the 32-bit TimerValue; bits [63:32] are RES0); a
//   TVAL write sets CVAL = count + SignExtend(value[31:0]).
// - CNTFRQ_EL0 (reset 62,500,000 as QEMU 7.2) is readable at EL0 when CNTKCTL_EL1.EL0PCTEN or EL0VCTEN is
//   set (else the read traps to EL1), and writable at EL1 and EL2: without EL3 the highest implemented
//   EL may write it, and QEMU lets EL1 write it too. EL0 writes are UNDEFINED. Writing it does not change
//   the counting rate (it only reports the frequency).
// - EL0 accesses disabled by CNTKCTL_EL1 (EL0PCTEN bit 0 for CNTPCT, EL0VCTEN bit 1 for CNTVCT,
//   EL0VTEN bit 8 for CNTV_*, EL0PTEN bit 9 for CNTP_*) trap with EC 0x18 to EL1 (to EL2 when
//   HCR_EL2.TGE = 1). With EL2 implemented, EL0/EL1 accesses to CNTPCT_EL0 trap to EL2 unless
//   CNTHCTL_EL2.EL1PCTEN (bit 0), and to CNTP_* unless CNTHCTL_EL2.EL1PCEN (bit 1). CNTHCTL_EL2 resets to
//   3, as QEMU (both enabled). HCR_EL2.E2H is taken as 0 (no VHE in ARMv8.0).
// - The event streams are implemented because WFE really sleeps here (QEMU's WFE does not): an event is
//   generated when bit EVNTI of the virtual count (CNTKCTL_EL1) or of the physical count (CNTHCTL_EL2)
//   goes 0->1 (EVNTDIR = 0) or 1->0 (EVNTDIR = 1), while EVNTEN = 1.

import { Cpu, INSN_ABORTED } from '../cpu/cpu.js';
import { defineSysReg } from '../cpu/sysregs.js';
import { R, LO, HI, add64, ucmp64, toNumber } from '../cpu/int64.js';

/** Generic counter frequency reported by CNTFRQ_EL0 at reset (QEMU 7.2's virt board). */
export const CNTFRQ_RESET = 62_500_000;
/** PPIs (INTIDs) of the timers, as on QEMU's virt board. */
export const PPI_EL2_PHYS = 26;
export const PPI_VIRT = 27;
export const PPI_PHYS = 30;

/** Sets a PPI line of a core in the interrupt controller. */
export type PpiSink = (core: number, intid: number, level: boolean) => void;

const T_PHYS = 0, T_VIRT = 1, T_HYP = 2;
const TIMER_PPI = [PPI_PHYS, PPI_VIRT, PPI_EL2_PHYS];
const TWO32 = 4294967296;

export class GenericTimer {
  cntfrq = CNTFRQ_RESET;
  cntkctl = 0;
  cnthctl = 3;
  voffLo = 0;
  voffHi = 0;
  /** CTL.ENABLE (bit 0) and IMASK (bit 1) of the physical, virtual and EL2 physical timers. */
  readonly ctl = new Int32Array(3);
  readonly cvalLo = new Int32Array(3);
  readonly cvalHi = new Int32Array(3);
  /** Called when the event stream generates an event for this core. */
  onEvent: (() => void) | null = null;
  private readonly out = [false, false, false];
  private lastNow = 0;

  constructor(readonly core: Cpu, private readonly ppi: PpiSink) {}

  reset(): void {
    this.cntfrq = CNTFRQ_RESET;
    this.cntkctl = 0;
    this.cnthctl = 3;
    this.voffLo = 0; this.voffHi = 0;
    this.ctl.fill(0); this.cvalLo.fill(0); this.cvalHi.fill(0);
    for (let i = 0; i < 3; i++) this.evaluate(i, this.lastNow);
  }

  /** Whether timer i's PPI is asserted now (for tests and tracing). */
  output(i: 0 | 1 | 2): boolean { return this.out[i]; }

  update(now: number): void {
    if (now < this.lastNow) now = this.lastNow;
    if (now > this.lastNow && this.onEvent !== null && this.eventDue(this.lastNow, now)) {
      this.lastNow = now;
      this.onEvent();
    }
    this.lastNow = now;
    for (let i = 0; i < 3; i++) this.evaluate(i, now);
    // Updated by its core mid-run (a counter read or a register write): a run covering several rounds
    // ends at the round where the board's evaluation would see the next deadline or event.
    if (this.core.round !== 0) this.core.endRoundAt(Math.min(this.nextDeadline(), this.nextEventStream()));
  }

  nextDeadline(): number {
    let best = Infinity;
    const now = this.lastNow;
    for (let i = 0; i < 3; i++) {
      if ((this.ctl[i] & 3) !== 1) continue;
      this.count(i, now);
      const clo = R[LO], chi = R[HI];
      if (ucmp64(clo, chi, this.cvalLo[i], this.cvalHi[i]) >= 0) continue; // already met and asserted
      add64(this.cvalLo[i], this.cvalHi[i], ~clo, ~chi, 1); // CVAL - count > 0
      const d = now + toNumber(R[LO], R[HI]);
      if (d < best) best = d;
    }
    return best;
  }

  nextEventStream(): number {
    let best = Infinity;
    if ((this.cntkctl & 4) !== 0) best = Math.min(best, nextTrigger(this.cntkctl, this.lastNow, this.voffLo));
    if ((this.cnthctl & 4) !== 0) best = Math.min(best, nextTrigger(this.cnthctl, this.lastNow, 0));
    return best;
  }

  // ---------------------------------------------------------------- internals

  private eventDue(from: number, to: number): boolean {
    return ((this.cntkctl & 4) !== 0 && nextTrigger(this.cntkctl, from, this.voffLo) <= to) ||
      ((this.cnthctl & 4) !== 0 && nextTrigger(this.cnthctl, from, 0) <= to);
  }

  /** Timer i's count (physical, or virtual for T_VIRT) at physical count `now`, into R. */
  count(i: number, now: number): void {
    const lo = now | 0, hi = Math.floor(now / TWO32) | 0;
    if (i === T_VIRT) add64(lo, hi, ~this.voffLo, ~this.voffHi, 1);
    else { R[LO] = lo; R[HI] = hi; }
  }

  /** ISTATUS: enabled and count >= CVAL (unsigned). */
  istatus(i: number, now: number): boolean {
    if ((this.ctl[i] & 1) === 0) return false;
    this.count(i, now);
    return ucmp64(R[LO], R[HI], this.cvalLo[i], this.cvalHi[i]) >= 0;
  }

  private evaluate(i: number, now: number): void {
    const level = (this.ctl[i] & 2) === 0 && this.istatus(i, now);
    if (level !== this.out[i]) {
      this.out[i] = level;
      this.ppi(this.core.id, TIMER_PPI[i], level);
    }
  }

  /** The counter value of the writing core: advance to it (events included), for register hooks. */
  sync(c: Cpu): number {
    const now = c.env.counter(c);
    this.update(now);
    return this.lastNow;
  }
}

/** First count strictly after `from` at which the event stream selected by a CNTKCTL/CNTHCTL value
 * fires: bit EVNTI of (count - offset) goes 0->1 (EVNTDIR 0) or 1->0 (EVNTDIR 1). Only the offset's low
 * 16 bits matter. */
function nextTrigger(ctl: number, from: number, offLo: number): number {
  const n = (ctl >>> 4) & 0xf;
  const mask = (2 << n) - 1; // the period, 2^(n+1) <= 2^16, less one
  const want = ((ctl >>> 3) & 1) === 0 ? 1 << n : 0;
  // (count - offset) mod period from the low 32 bits alone (the period divides 2^32); integers only,
  // since the counter is read in every delay loop.
  const phase = ((from >>> 0) - offLo) & mask;
  const d = (want - phase) & mask;
  return from + (d === 0 ? mask + 1 : d);
}

// ---------------------------------------------------------------- system registers

function timerOf(c: Cpu): GenericTimer {
  const t = c.timer;
  if (t === null) { c.undefinedInstruction(); throw INSN_ABORTED; }
  return t;
}


function undef(c: Cpu): never {
  c.undefinedInstruction();
  throw INSN_ABORTED;
}

const enum Kind { FRQ, PCT, VCT, PTIMER, VTIMER, HTIMER }

/** Access checks for EL0 (CNTKCTL_EL1) and EL0/EL1 with EL2 present (CNTHCTL_EL2). */
function check(c: Cpu, t: GenericTimer, kind: Kind, enc: Enc, read: boolean): void {
  if (c.el === 0) {
    const k = t.cntkctl;
    let ok: boolean;
    switch (kind) {
      case Kind.FRQ: ok = (k & 3) !== 0; break;
      case Kind.PCT: ok = (k & 1) !== 0; break;
      case Kind.VCT: ok = (k & 2) !== 0; break;
      case Kind.PTIMER: ok = (k & 0x200) !== 0; break;
      case Kind.VTIMER: ok = (k & 0x100) !== 0; break;
      default: ok = true;
    }
    if (!ok) c.trapSysReg(c.hasEl2 && (c.sys.hcrEl2Lo & (1 << 27)) !== 0 ? 2 : 1, enc, read);
  }
  if (c.el <= 1 && c.hasEl2) {
    if ((kind === Kind.PCT && (t.cnthctl & 1) === 0) || (kind === Kind.PTIMER && (t.cnthctl & 2) === 0)) {
      c.trapSysReg(2, enc, read);
    }
  }
}

type Enc = [number, number, number, number, number];

function reg(name: string, enc: Enc, minEl: number, kind: Kind | null,
  read: ((c: Cpu, t: GenericTimer) => void) | null,
  write: ((c: Cpu, t: GenericTimer, lo: number, hi: number) => void) | null): void {
  defineSysReg(name, enc, minEl, {
    readOnly: write === null,
    read: read === null ? undefined : (c) => {
      const t = timerOf(c);
      if (kind !== null) check(c, t, kind, enc, true);
      read(c, t);
    },
    write: write === null ? undefined : (c, lo, hi) => {
      const t = timerOf(c);
      if (kind !== null) check(c, t, kind, enc, false);
      write(c, t, lo, hi);
    },
  });
}

function ret(lo: number, hi = 0): void { R[LO] = lo; R[HI] = hi; }

/** Physical count of the reading core into R. */
function readCount(c: Cpu, t: GenericTimer, i: number): void {
  t.count(i, t.sync(c));
}

function timerRegs(prefix: string, i: number, crm: number, op1: number, minEl: number, kind: Kind): void {
  // TVAL
  reg(`${prefix}_TVAL_${minEl === 2 ? 'EL2' : 'EL0'}`, [3, op1, 14, crm, 0], minEl, kind,
    (c, t) => {
      t.count(i, t.sync(c));
      ret((t.cvalLo[i] - R[LO]) | 0, 0);
    },
    (c, t, lo) => {
      const now = t.sync(c);
      t.count(i, now);
      add64(R[LO], R[HI], lo, lo >> 31, 0); // CVAL = count + SignExtend(TVAL)
      t.cvalLo[i] = R[LO]; t.cvalHi[i] = R[HI];
      t.update(now);
    });
  // CTL
  reg(`${prefix}_CTL_${minEl === 2 ? 'EL2' : 'EL0'}`, [3, op1, 14, crm, 1], minEl, kind,
    (c, t) => {
      const now = t.sync(c);
      ret((t.ctl[i] & 3) | (t.istatus(i, now) ? 4 : 0));
    },
    (c, t, lo) => {
      const now = t.sync(c);
      t.ctl[i] = lo & 3;
      t.update(now);
    });
  // CVAL
  reg(`${prefix}_CVAL_${minEl === 2 ? 'EL2' : 'EL0'}`, [3, op1, 14, crm, 2], minEl, kind,
    (_c, t) => ret(t.cvalLo[i], t.cvalHi[i]),
    (c, t, lo, hi) => {
      const now = t.sync(c);
      t.cvalLo[i] = lo; t.cvalHi[i] = hi;
      t.update(now);
    });
}

const CNTFRQ_ENC: Enc = [3, 3, 14, 0, 0];
defineSysReg('CNTFRQ_EL0', CNTFRQ_ENC, 0, {
  read: (c) => { const t = timerOf(c); check(c, t, Kind.FRQ, CNTFRQ_ENC, true); ret(t.cntfrq); },
  write: (c, lo) => { const t = timerOf(c); if (c.el === 0) undef(c); t.cntfrq = lo >>> 0; }, // EL0: read-only
});
reg('CNTPCT_EL0', [3, 3, 14, 0, 1], 0, Kind.PCT, (c, t) => readCount(c, t, T_PHYS), null);
reg('CNTVCT_EL0', [3, 3, 14, 0, 2], 0, Kind.VCT, (c, t) => readCount(c, t, T_VIRT), null);
reg('CNTKCTL_EL1', [3, 0, 14, 1, 0], 1, null,
  (_c, t) => ret(t.cntkctl),
  (c, t, lo) => { t.sync(c); t.cntkctl = lo & 0x3ff; });
reg('CNTHCTL_EL2', [3, 4, 14, 1, 0], 2, null,
  (_c, t) => ret(t.cnthctl),
  (c, t, lo) => { t.sync(c); t.cnthctl = lo & 0xff; });
reg('CNTVOFF_EL2', [3, 4, 14, 0, 3], 2, null,
  (_c, t) => ret(t.voffLo, t.voffHi),
  (c, t, lo, hi) => { const now = t.sync(c); t.voffLo = lo; t.voffHi = hi; t.update(now); });
timerRegs('CNTP', T_PHYS, 2, 3, 0, Kind.PTIMER);
timerRegs('CNTV', T_VIRT, 3, 3, 0, Kind.VTIMER);
timerRegs('CNTHP', T_HYP, 2, 4, 2, Kind.HTIMER);
