// Arm PrimeCell real-time clock (PL031, DDI 0224), as on QEMU's virt board at 0x0901_0000, SPI 2
// (INTID 34). Registers: RTCDR 0x000 (count, RO), RTCMR 0x004 (match), RTCLR 0x008 (load), RTCCR 0x00C
// (control), RTCIMSC 0x010, RTCRIS 0x014, RTCMIS 0x018, RTCICR 0x01C (WO), PeriphID/PCellID at 0xFE0.
//
// The count is seconds: base + elapsed, where elapsed comes from the board's clock. By default that is
// virtual time (the generic counter, so a run is deterministic); with the host clock it is the host's
// wall-clock time, as QEMU's -rtc clock=host. Behaviour follows QEMU 7.2's model: the RTC is always
// enabled (RTCCR reads 1, writes are ignored), a load moves the count, RTCLR reads back the last value
// loaded, and the match interrupt (RTCRIS bit 0) is raised when the count reaches RTCMR, or at once
// when RTCMR or RTCLR is written so that they are equal.

import type { MmioDevice } from '../mem/bus.js';

const ID = [0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1]; // PeriphID0-3, PCellID0-3

export const RTCDR = 0x000, RTCMR = 0x004, RTCLR = 0x008, RTCCR = 0x00c;
export const RTCIMSC = 0x010, RTCRIS = 0x014, RTCMIS = 0x018, RTCICR = 0x01c;

/** The RTC's time base: seconds elapsed, and (for virtual time) the tick rate to find deadlines. */
export interface RtcClock {
  /** Elapsed time in seconds (a real number) since the board started. */
  seconds(): number;
  /** Ticks per second of the board's clock when it is virtual time; undefined for the host clock. */
  readonly ticksPerSecond?: number;
}

/** The default epoch of the deterministic RTC: 2024-01-01T00:00:00Z. */
export const RTC_DEFAULT_BASE = 1_704_067_200;

export class Pl031 implements MmioDevice {
  readonly name = 'pl031';
  /** count = offset + floor(elapsed seconds), mod 2^32. */
  private offset: number;
  private mr = 0;
  private lr = 0;
  private im = 0;
  private is = 0;
  /** Elapsed whole seconds at which the count next reaches mr (RTCRIS is then raised); -1: not armed. */
  private alarmAt = -1;
  /** Raised/lowered as RTCMIS changes (the board wires it to SPI 2). */
  onIrq: (level: boolean) => void = () => {};
  /** Called after every register write (the board: an alarm may have been set). */
  onWrite: (() => void) | null = null;

  constructor(private readonly clock: RtcClock, base = RTC_DEFAULT_BASE) {
    this.offset = base >>> 0;
  }

  /** The current count (RTCDR). */
  count(): number {
    return (this.offset + Math.floor(this.clock.seconds())) >>> 0;
  }

  read(off: number, _size: number): number {
    this.update();
    switch (off) {
      case RTCDR: return this.count();
      case RTCMR: return this.mr;
      case RTCLR: return this.lr;
      case RTCCR: return 1; // permanently enabled, as QEMU
      case RTCIMSC: return this.im;
      case RTCRIS: return this.is;
      case RTCMIS: return this.is & this.im;
      default:
        if (off >= 0xfe0 && off < 0x1000) return ID[(off - 0xfe0) >> 2];
        return 0; // RTCICR is write-only; unknown offsets read as zero
    }
  }

  peek(off: number, size: number): number { return this.read(off, size); }

  write(off: number, _size: number, v: number): void {
    this.update();
    switch (off) {
      case RTCLR:
        this.lr = v >>> 0;
        this.offset = (this.offset + (v - this.count())) >>> 0;
        this.setAlarm();
        break;
      case RTCMR: this.mr = v >>> 0; this.setAlarm(); break;
      case RTCIMSC: this.im = v & 1; this.drive(); break;
      case RTCICR: this.is &= ~v; this.drive(); break;
      default: break; // RTCCR writes are ignored; RTCDR, RTCRIS and RTCMIS are read-only
    }
    this.onWrite?.();
  }

  /** Raise the match interrupt if the count has reached the match value since it was armed. Called by
   * the board as time passes, and before each register access. */
  update(): void {
    if (this.alarmAt >= 0 && Math.floor(this.clock.seconds()) >= this.alarmAt) { this.alarmAt = -1; this.is = 1; this.drive(); }
  }

  /** Board time (in clock ticks) at which the armed match fires, from time `now`; Infinity if none is
   * armed or the clock is the host's. Lets the board skip to it when every core sleeps. */
  nextDeadline(now: number): number {
    const tps = this.clock.ticksPerSecond;
    if (this.alarmAt < 0 || tps === undefined) return Infinity;
    return Math.max(now, this.alarmAt * tps);
  }

  /** The count follows the host's clock (not virtual time). */
  get hostClock(): boolean { return this.clock.ticksPerSecond === undefined; }

  /** A match is armed on the host clock with its interrupt unmasked: it will raise the line at a
   * host time that virtual time cannot skip to, so a board whose cores all sleep must wait for it. */
  get hostAlarmArmed(): boolean {
    return this.alarmAt >= 0 && this.clock.ticksPerSecond === undefined && this.im !== 0;
  }

  /** Arm the match for when the count next equals mr (it wraps at 2^32), or raise it now if equal. */
  private setAlarm(): void {
    const secs = (this.mr - this.count()) >>> 0;
    if (secs === 0) { this.alarmAt = -1; this.is = 1; this.drive(); } else this.alarmAt = Math.floor(this.clock.seconds()) + secs;
  }

  private drive(): void {
    this.onIrq((this.is & this.im) !== 0);
  }
}

/** Parse an --rtc-base value: seconds since 1970 (an integer), or an ISO 8601 date or date-time
 * ("2024-01-01", "2024-01-01T12:00:00Z"; a date-time without a zone is UTC). Returns undefined when
 * malformed or outside 0..2^32-1. */
export function parseRtcBase(text: string): number | undefined {
  const t = text.trim();
  let secs: number;
  if (/^[0-9]+$/.test(t)) secs = Number(t);
  else {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:\d{2})?)?$/.exec(t);
    if (m === null) return undefined;
    const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}${m[7] ?? 'Z'}`;
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) return undefined;
    // Date.parse rolls 2024-02-31 over into March: reject dates that do not exist.
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    if (d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return undefined;
    secs = Math.floor(ms / 1000);
  }
  return Number.isSafeInteger(secs) && secs >= 0 && secs <= 0xffff_ffff ? secs : undefined;
}
