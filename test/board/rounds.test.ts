// One core runs several scheduling rounds in one Cpu.run (Machine.roundsPerRun): that must be the same
// execution, instruction for instruction, as a run per round. The guest makes the board act at round
// ends in every way it can: virtual-timer deadlines set mid-run (CVAL after a counter read; TVAL then
// WFI), an interrupt made pending by a store followed by a straight line longer than a round (taken
// at the round's end, not at the next jump), and an RTC alarm set mid-run. Its IRQ handler logs ELR, the INTID and
// the counter, so an interrupt taken one instruction early or late shows.

import { describe, it, expect, vi } from 'vitest';
import { assembleWords } from '../../emu/asm/assembler.js';
import { Machine, RAM_BASE } from '../../emu/board/machine.js';
import { wordBytes } from '../harness.js';
import { state } from '../translator/lockstep.js';
import { GICD_INIT, GICR_INIT } from '../gic-asm.js';

const RD_BASE = 0x080a_0000, RTC = 0x0901_0000;
const ITERATIONS = 5;
/** When the guest arms the RTC's alarm for the next second (tick 62,500,000), spinning until it
 * fires: it sleeps until then (WFI on a timer deadline: time skips ahead, no instructions run). */
const RTC_ARM = 62_500_000 - 15_000;

// The start of both guests: a branch to main and the vector table, whose IRQ handler logs ELR, the
// INTID and the counter at x25 and counts in x21, stops the virtual timer (level-triggered) and
// clears the RTC's interrupt.
const VECTORS = `
    b main
    .balign 2048
vectors:
    .skip 0x280
    mrs x0, icc_iar1_el1
    mrs x1, elr_el1
    mrs x2, cntvct_el0
    stp x1, x0, [x25], #16
    str x2, [x25], #16
    add x21, x21, #1
    cmp x0, #27
    b.ne not_timer
    msr cntv_ctl_el0, xzr
not_timer:
    cmp x0, #34
    b.ne eoi
    movz x4, #0x${(RTC >>> 16).toString(16)}, lsl #16
    mov w3, #1
    str w3, [x4, #0x1c]
eoi:
    msr icc_eoir1_el1, x0
    eret
`;

// x20 counts iterations, x21 interrupts; x25 is the log; x5/x6 pend SGI 2 (GICR_ISPENDR0).
const SOURCE = `
${VECTORS}

${GICR_INIT}

main:${GICD_INIT}
    mov w0, #-1
    str w0, [x2, #0x84]
    mov w0, #4
    str w0, [x2, #0x104]
    mov w0, #0x80808080
    str w0, [x2, #0x420]
    movz x2, #0x${(RD_BASE >>> 16).toString(16)}, lsl #16
    bl gicr_init
    adr x25, log
    mov w5, #4
    add x6, x2, #0x200
    mov x20, #${ITERATIONS}
    msr daifclr, #2
loop:
    mrs x1, cntvct_el0
    add x1, x1, #2345
    msr cntv_cval_el0, x1
    mov x0, #1
    msr cntv_ctl_el0, x0
    mov x9, x21
spin:
    add x7, x7, #1
    cmp x21, x9
    b.eq spin
    mov x1, #3456
    msr cntv_tval_el0, x1
    mov x0, #1
    msr cntv_ctl_el0, x0
    wfi
    mov x11, #7
    mul x11, x11, x20
pad:
    subs x11, x11, #1
    b.ne pad
    stlr w5, [x6]
    .rept 1300
    add x8, x8, #1
    .endr
    subs x20, x20, #1
    b.ne loop
    movz x1, #0x${(RTC_ARM & 0xffff).toString(16)}
    movk x1, #0x${(RTC_ARM >>> 16).toString(16)}, lsl #16
    msr cntv_cval_el0, x1
    mov x0, #1
    msr cntv_ctl_el0, x0
    wfi
    movz x4, #0x${(RTC >>> 16).toString(16)}, lsl #16
    ldr w1, [x4]
    add w1, w1, #1
    str w1, [x4, #4]
    mov w1, #1
    str w1, [x4, #0x10]
    mov x9, x21
rtcspin:
    add x7, x7, #1
    cmp x21, x9
    b.eq rtcspin
    b .
    .balign 4096
log:
`;

// Two cores: core 0 powers core 1 on (PSCI CPU_ON) and then computes, sending core 1 an SGI now and
// then; core 1 sleeps in WFI, woken by those SGIs and by its own timer. While core 1 sleeps core 0
// runs alone, several rounds at a time: a wake-up must end the batch where the round would end.
const SMP_SOURCE = `
${VECTORS}

${GICR_INIT}

main:${GICD_INIT}
    movz x2, #0x${(RD_BASE >>> 16).toString(16)}, lsl #16
    bl gicr_init
    adr x25, log0
    msr daifclr, #2
    movz x0, #0x0003
    movk x0, #0xc400, lsl #16
    mov x1, #1
    adr x2, core1
    mov x3, #0
    hvc #0
    mov x20, #12
c0loop:
    movz x11, #2500
c0spin:
    add x7, x7, #1
    subs x11, x11, #1
    b.ne c0spin
    movz x10, #0x0300, lsl #16
    orr x10, x10, #2
    msr icc_sgi1r_el1, x10
    subs x20, x20, #1
    b.ne c0loop
c0end:
    add x7, x7, #1
    b c0end

core1:
    movz x2, #0x${((RD_BASE + 0x2_0000) >>> 16).toString(16)}, lsl #16
    bl gicr_init
    adr x25, log1
    msr daifclr, #2
    mov x20, #6
c1loop:
    movz x1, #7000
    msr cntv_tval_el0, x1
    mov x0, #1
    msr cntv_ctl_el0, x0
    wfi
    wfi
    subs x20, x20, #1
    b.ne c1loop
c1end:
    wfi
    b c1end
    .balign 4096
log0:
    .skip 2048
log1:
`;

/** Run a guest to `insns` instructions on `smp` cores in rounds of `quantum`, up to `rounds` of them
 * per run: its final state, each core's handler log, and how many scheduling steps it took. */
function run(words: number[], smp: number, insns: number, quantum: number, jit: false | 'wasm' | 'js', rounds: number): { state: string; time: number; log: string; steps: number } {
  const m = new Machine({ smp, ramMiB: 16, quantum, jit: jit !== false, jitBackend: jit === false ? undefined : jit, maxInsns: insns, stdout: () => {}, stderr: () => {} });
  if (m.translator !== null) { m.translator.threshold = 1; m.translator.stepThreshold = 1; }
  m.roundsPerRun = rounds;
  m.boot(RAM_BASE + 0x10_0000, false);
  m.ram.load(RAM_BASE + 0x10_0000, wordBytes(words));
  const step = vi.spyOn(m, 'step');
  m.run();
  const log: string[] = [];
  for (const c of m.cores) {
    const n = c.x[2 * 21], end = c.x[2 * 25] - RAM_BASE;
    for (let k = 0; k < n; k++) {
      const e = end - 32 * (n - k);
      log.push(`${c.id}: ` + [0, 8, 16].map((o) => m.ram.dv.getUint32(e + o, true).toString(16)).join(' '));
    }
  }
  return { state: m.cores.map(state).join('\n'), time: m.now(), log: log.join('\n'), steps: step.mock.calls.length };
}

/** Every configuration (the interpreter and both back ends; a run per round, and several) gives what
 * the interpreter gives with a run per round. */
function sameEverywhere(words: number[], smp: number, insns: number, quantum: number): string {
  const ref = run(words, smp, insns, quantum, false, 1);
  for (const jit of [false, 'wasm', 'js'] as const) {
    for (const rounds of jit === false ? [64, 7] : [1, 64, 7]) {
      const r = run(words, smp, insns, quantum, jit, rounds);
      expect(r.log, `${jit} ${rounds}`).toBe(ref.log);
      expect(r.state, `${jit} ${rounds}`).toBe(ref.state);
      expect(r.time, `${jit} ${rounds}`).toBe(ref.time);
      if (rounds > 1) expect(r.steps).toBeLessThan(ref.steps / 2);
    }
  }
  return ref.log;
}

describe('scheduling: several rounds of one core in one run', () => {
  // Short rounds too: a region that went on after the interrupt was pended, instead of leaving at once,
  // would pass a round's end within its few instructions (the pad loop moves the STLR through the
  // round).
  it.each([1000, 61, 250])('run the same execution as a run per round (rounds of %i): timer deadlines, an interrupt pended mid-line, an RTC alarm', async (quantum) => {
    const log = sameEverywhere(await assembleWords(SOURCE), 1, 400_000, quantum);
    // Every interrupt happened: two timer interrupts and an SGI per iteration, then the timer's and the
    // RTC's.
    const intids = log.split('\n').map((l) => Number.parseInt(l.split(' ')[2], 16));
    expect(intids).toEqual([...Array.from({ length: ITERATIONS }, () => [27, 27, 2]).flat(), 27, 34]);
  });

  it.each([1000, 97])('with another core asleep that its timer and the running core\'s SGIs wake (rounds of %i)', async (quantum) => {
    const log = sameEverywhere(await assembleWords(SMP_SOURCE), 2, 300_000, quantum);
    const intids = (id: number) => log.split('\n').filter((l) => l.startsWith(`${id}:`)).map((l) => Number.parseInt(l.split(' ')[2], 16));
    expect(intids(0)).toEqual([]);
    expect(intids(1).filter((x) => x === 27).length).toBeGreaterThan(3);
    expect(intids(1).filter((x) => x === 3).length).toBeGreaterThan(3);
  });
});
