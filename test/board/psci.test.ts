import { describe, it, expect } from 'vitest';
import { Machine, RAM_BASE } from '../../emu/board/machine.js';
import { Sleep } from '../../emu/cpu/cpu.js';
import { getX, setX } from '../harness.js';
import { PSCI, PSCI_RET } from '../../emu/devices/psci.js';

const HVC0 = 0xd4000002;
const SMC0 = 0xd4000003;

/** Run one HVC (or SMC) on core 0 of a fresh machine with x0..x3 set; returns the machine. */
function call(fn: number, args: bigint[] = [], opts: { smp?: number; clusters?: number; startEl?: 1 | 2; insn?: number } = {}) {
  const m = new Machine({ smp: opts.smp ?? 4, clusters: opts.clusters, ramMiB: 16, startEl: opts.startEl, stdout: () => {} });
  const c = m.cores[0];
  const code = new Uint8Array(4);
  new DataView(code.buffer).setUint32(0, opts.insn ?? HVC0, true);
  m.boot(RAM_BASE + 0x10000, false); // the DTB goes to RAM_BASE
  m.ram.load(RAM_BASE + 0x10000, code);
  setX(c, 0, BigInt(fn));
  args.forEach((a, k) => setX(c, k + 1, a));
  c.run(1);
  return { m, c, x0: BigInt.asIntN(64, getX(c, 0)) };
}

describe('PSCI over HVC', () => {
  it('reports version 1.1 and features', () => {
    expect(call(PSCI.VERSION).x0).toBe(0x10001n);
    expect(call(PSCI.FEATURES, [BigInt(PSCI.CPU_ON_64)]).x0).toBe(0n);
    expect(call(PSCI.FEATURES, [0x84000099n]).x0).toBe(BigInt(PSCI_RET.NOT_SUPPORTED));
    expect(call(PSCI.MIGRATE_INFO_TYPE).x0).toBe(2n);
  });

  it('CPU_ON starts a powered-off core at the entry with x0 = context id', () => {
    const { m, x0 } = call(PSCI.CPU_ON_64, [0x2n, BigInt(RAM_BASE + 0x1000), 0xabcdn]);
    expect(x0).toBe(0n);
    const c2 = m.cores[2];
    expect(c2.sleep).toBe(Sleep.Running);
    expect(getX(c2, 0)).toBe(0xabcdn);
    expect(c2.pcLo >>> 0).toBe(RAM_BASE + 0x1000);
    expect(c2.el).toBe(1);
  });

  it('CPU_ON error cases', () => {
    expect(call(PSCI.CPU_ON_64, [0x0n, BigInt(RAM_BASE), 0n]).x0).toBe(BigInt(PSCI_RET.ALREADY_ON));
    expect(call(PSCI.CPU_ON_64, [0x7n, BigInt(RAM_BASE), 0n]).x0).toBe(BigInt(PSCI_RET.INVALID_PARAMETERS));
    expect(call(PSCI.CPU_ON_64, [0x1n, 0x10n, 0n]).x0).toBe(BigInt(PSCI_RET.INVALID_ADDRESS));
  });

  it('CPU_ON finds cores by cluster affinity', () => {
    // 2 clusters x 2 cores: core 3 is Aff1=1, Aff0=1.
    const { m, x0 } = call(PSCI.CPU_ON_64, [0x101n, BigInt(RAM_BASE), 0n], { clusters: 2 });
    expect(x0).toBe(0n);
    expect(m.cores[3].sleep).toBe(Sleep.Running);
  });

  it('AFFINITY_INFO reports on, off and bad levels', () => {
    expect(call(PSCI.AFFINITY_INFO_64, [0n, 0n]).x0).toBe(0n);
    expect(call(PSCI.AFFINITY_INFO_64, [1n, 0n]).x0).toBe(1n);
    // Level 1: the cluster of core 1, which holds the running core 0, is ON.
    expect(call(PSCI.AFFINITY_INFO_64, [1n, 1n]).x0).toBe(0n);
    expect(call(PSCI.AFFINITY_INFO_64, [1n, 4n]).x0).toBe(BigInt(PSCI_RET.INVALID_PARAMETERS));
    // MPIDR bits [31:24] must be zero in target_cpu (QEMU and KVM reject them too).
    expect(call(PSCI.AFFINITY_INFO_64, [0x8000_0001n, 0n]).x0).toBe(BigInt(PSCI_RET.INVALID_PARAMETERS));
    expect(call(PSCI.CPU_ON_64, [0x8000_0001n, 0x40000000n, 0n]).x0).toBe(BigInt(PSCI_RET.INVALID_PARAMETERS));
  });

  it('CPU_OFF powers the caller off; SYSTEM_OFF ends the run with status 0', () => {
    expect(call(PSCI.CPU_OFF).c.sleep).toBe(Sleep.Off);
    const { m } = call(PSCI.SYSTEM_OFF);
    expect(m.result?.status).toBe(0);
  });

  it('an unknown SMCCC function id returns NOT_SUPPORTED', () => {
    expect(call(0x80000000).x0).toBe(-1n); // SMCCC_VERSION
    expect(call(0xc2000001).x0).toBe(-1n); // a SiP service call
  });

  it('booting at EL1, SMC is UNDEFINED (PSCI is on HVC)', () => {
    const { c } = call(PSCI.VERSION, [], { insn: SMC0 });
    expect(c.pcLo >>> 0).toBe(0x200); // Unknown exception to VBAR_EL1 (0) + 0x200
  });

  it('booting at EL2, PSCI is on SMC', () => {
    const { x0, c } = call(PSCI.VERSION, [], { insn: SMC0, startEl: 2 });
    expect(x0).toBe(0x10001n);
    expect(c.el).toBe(2);
  });
});
