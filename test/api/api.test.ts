// The API's own mechanics on smp-idle.elf: symbols, memory, the call trampoline, state save/restore,
// arguments and results, errors, and run outcomes.

import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { assembleWords } from '../../emu/asm/assembler.js';
import { loadDisassembler } from '../../emu/asm/disassembler.js';
import { CALL_RETURN_INSN, Guest, SCRATCH_BYTES, builtinImage } from '../../emu/api/index.js';
import { bootIdle, isIdleLoop, SPIN } from './kernel.js';

describe('Guest API', () => {
  test('the trampoline is HLT #0xa64e, at the top of RAM, clear of the image and the DTB', async () => {
    const dis = await loadDisassembler();
    expect(dis(CALL_RETURN_INSN, 0).text).toBe('hlt #0xa64e');
    const g = Guest.load(builtinImage('smp-idle'), { smp: 2 });
    const ram = g.machine.ram;
    expect(g.scratchEnd).toBe(ram.base + ram.size);
    expect(g.scratchBase).toBe(g.scratchEnd - SCRATCH_BYTES);
    expect(g.trampoline).toBe(g.scratchBase);
    expect(g.readU32(g.trampoline)).toBe(CALL_RETURN_INSN);
    for (const r of g.image.regions) expect(r.end).toBeLessThanOrEqual(g.scratchBase);
    expect(g.addr('__stacks_end')).toBeLessThanOrEqual(g.scratchBase);
    expect(g.machine.dtbAddr + g.machine.dtb.length).toBeLessThanOrEqual(g.scratchBase);
    // Before the boot only core 0 is on: a call on core 1 is refused.
    expect(g.coreState(1).sleep).toBe('off');
    expect(() => g.call(1, 'smp_get_num_cpus')).toThrow(/core 1 is off/);
    // Loading from bytes works as well.
    const g2 = Guest.load(readFileSync(builtinImage('smp-idle')), { smp: 1 });
    g2.runUntilIdle(10_000_000);
    expect(g2.readI32('sNumCPUs')).toBe(1);
  });

  test('symbols and physical memory', () => {
    const g = bootIdle();
    const s = g.symbol('acquire_spinlock');
    expect(s.kind).toBe('func');
    expect(g.symbol('g_test_lock').kind).toBe('object');
    expect(g.addr('gCPU+0x40')).toBe(g.addr('gCPU') + 0x40);
    expect(g.symbolize(Number(s.addr) + 4)).toBe('acquire_spinlock+0x4');
    expect(() => g.addr('no_such_symbol')).toThrow(/no symbol/);
    // The kernel's view of the CPUs, read from gCPU[]: cpu_num and MPIDR of each.
    for (let k = 0; k < 4; k++) {
      expect(g.readI32('gCPU', 64 * k)).toBe(k);
      expect(g.readU64('gCPU', 64 * k + 8)).toBe(BigInt(g.machine.cores[k].mpidr & 0xffffff));
    }
    g.writeU64('g_test_counter', 0x1122334455667788n);
    expect(g.readU32('g_test_counter')).toBe(0x55667788);
    expect(g.readU64('g_test_counter')).toBe(0x1122334455667788n);
    g.writeU32('g_test_counter', -1);
    expect(g.readI32('g_test_counter')).toBe(-1);
    expect(g.readCString(g.callAndWait(0, 'spinlock_name_of', ['g_test_rw_lock']))).toBe('g_test_rw_lock');
    expect(() => g.readU32(0x1000)).toThrow(/not in RAM/);
    expect(() => g.readU32(g.scratchEnd - 2)).toThrow(/not in RAM/);
  });

  test('arguments in x0..x7 and the result in x0; every core calls at once', async () => {
    const g = bootIdle();
    // sum8: x0 = x0 + ... + x7
    const sum8 = g.placeCode(await assembleWords(
      'add x0, x0, x1\nadd x0, x0, x2\nadd x0, x0, x3\nadd x0, x0, x4\nadd x0, x0, x5\nadd x0, x0, x6\nadd x0, x0, x7\nret'));
    expect(g.callAndWait(1, sum8, [1, 2, 3, 4, 5, 6, 7, 1n << 40n])).toBe((1n << 40n) + 28n);
    expect(g.callAndWait(2, sum8, [-1, 0, 0, 0, 0, 0, 0, 0])).toBe((1n << 64n) - 1n); // sign-extended
    expect(g.callAndWait(2, sum8, [true, false])).toBe(1n); // missing arguments are 0
    expect(() => g.call(0, sum8, [0, 0, 0, 0, 0, 0, 0, 0, 0])).toThrow(/at most 8/);
    // Each core knows which CPU it is (TPIDR_EL1): calls run on the core asked for.
    const calls = [0, 1, 2, 3].map((k) => g.call(k, 'smp_get_current_cpu'));
    g.finish(calls);
    expect(calls.map((c) => c.i32)).toEqual([0, 1, 2, 3]);
    expect(g.callAndWait(3, 'smp_get_num_cpus')).toBe(4n);
  });

  test('a call saves and restores the interrupted state exactly; one call per core at a time', () => {
    const g = bootIdle();
    const c = g.machine.cores[2];
    const snap = () => ({
      x: [...c.x], sp: [...c.spLo, ...c.spHi], pc: [c.pcLo, c.pcHi],
      pstate: c.pstate, sleep: c.sleep, elr: c.sys.getElr(1), spsr: c.sys.getSpsr(1),
    });
    const before = snap();
    expect(g.coreState(2).irqsMasked).toBe(false); // the idle loop runs with IRQs on

    // Block the call on a held lock to look at the core in the middle of it.
    const lock = g.addr('g_test_lock');
    g.callAndWait(1, 'acquire_spinlock', [lock]);
    const call = g.call(2, 'acquire_spinlock', [lock]);
    expect(() => g.call(2, 'smp_get_num_cpus')).toThrow(/still running/);
    g.runFor(50_000);
    const mid = g.coreState(2);
    expect(mid.inCall && mid.irqsMasked).toBe(true);
    const sp = (BigInt(c.x[2 * 32 + 1] >>> 0) << 32n) | BigInt(c.x[2 * 32] >>> 0);
    const oldSp = (BigInt(before.x[2 * 32 + 1] >>> 0) << 32n) | BigInt(before.x[2 * 32] >>> 0);
    expect(sp < oldSp - 256n).toBe(true); // below the interrupted frame
    expect(g.describe()).toContain('core 2 pc=');
    expect(g.describe()).toContain(`in acquire_spinlock(0x${lock.toString(16)})`);
    g.callAndWait(1, 'release_spinlock', [lock]);
    g.finish(call);
    expect(call.instructions).toBeGreaterThan(0);
    expect(call.endTime).toBeGreaterThan(call.startTime);
    expect(snap()).toEqual(before);
    expect(isIdleLoop(g, 2)).toBe(true);
    expect(g.readU32(lock, SPIN.holder)).toBe(3);

    // { irqs: 'inherit' } keeps the idle loop's unmasked IRQs for the call.
    g.callAndWait(3, 'acquire_spinlock', ['g_test_lock2']);
    const inherit = g.call(0, 'acquire_spinlock', ['g_test_lock2'], { irqs: 'inherit' });
    g.runFor(50_000);
    expect(g.coreState(0).irqsMasked).toBe(false);
    g.callAndWait(3, 'release_spinlock', ['g_test_lock2']);
    g.finish(inherit);
    expect(g.readU32('g_test_lock2', SPIN.holder)).toBe(1);
  });

  test('run outcomes: asleep when nothing can wake a core, stopped after a guest exit', () => {
    const g = bootIdle();
    // All idle in WFI, no timer armed: nothing can happen, and the machine is not stopped.
    expect(g.runUntil(() => false, 1_000_000).reason).toBe('asleep');
    expect(g.stopped).toBe(false);
    // A call that never returns runs out of budget, with the cores' state in the message.
    g.callAndWait(1, 'acquire_spinlock', ['g_test_lock']);
    const stuck = g.call(2, 'acquire_spinlock', ['g_test_lock']);
    expect(() => g.finish(stuck, 100_000)).toThrow(/acquire_spinlock\(0x[0-9a-f]+\) did not return \(budget.*core 2 pc=0x[0-9a-f]+ <acquire_spinlock_common\+0x[0-9a-f]+>/);
    // A panic ends the run: release_spinlock of a free lock.
    g.call(3, 'release_spinlock', ['g_test_lock2']);
    expect(g.runUntil(() => false).reason).toBe('stopped');
    expect(g.result?.status).toBe(3);
    expect(g.output).toMatch(/PANIC: cpu 3: release_spinlock: lock 0x[0-9a-f]+ \(g_test_lock2\) is not held/);
    expect(() => g.call(0, 'smp_get_num_cpus')).toThrow(/stopped/);
  });
});
