// `a64emu run [IMAGE]`: boot an image on the board and exit with the run's status.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { Machine, MachineOptions, VirtioSpec } from '../board/machine.js';
import { parseRtcBase } from '../devices/pl031.js';
import { Disk, DiskError, fileStore, parseDrive } from '../devices/virtio/disk.js';
import { DtbError } from '../board/dtb.js';
import { CONSOLE_HELP, ConsoleEscape, rawTerminal } from './console.js';
import { EXIT_DEADLOCK, EXIT_GUEST_FAULT, EXIT_MAX_INSNS, EXIT_USAGE } from '../board/exit.js';
import { ImageError, LoadedImage, LoadedRegion, checkOverlaps, loadImage, loadRaw, parseLoadSpec } from '../loader/image.js';
import { openTrace, Tracer } from '../trace/tracer.js';
import { FilterError } from '../trace/filter.js';
import { TraceWriteError } from '../trace/output.js';
import { asGiven } from './trace.js';
import { GdbListenError, GdbStub, parseGdbAddress } from '../gdbstub/stub.js';
import { TarmacWriter } from '../trace/tarmac.js';
import { CliError, CliIo, ConsoleSink, collect, errorMessage, fsErrorMessage, hex, intOption, jitBackendOption, memoryModelOption, memoryOption, packageRoot, readInput, refuseOverwrite, seedOption } from './common.js';

/** The image `run` boots when none is named, relative to the package root. */
export const DEFAULT_IMAGE = 'firmware/images/smp-selftest.elf';

/** Built-in images in firmware/images/ (NAME.elf), with what each shows. */
export const BUILTIN_IMAGES: Record<string, string> = {
  'smp-selftest': 'the Haiku-style SMP layer\'s self-tests (default): locks, ICIs, calls, TLB shootdown',
  'smp-selftest-lse': 'the same with LSE atomics (CAS, LDADD, SWP) instead of LDAXR/STLXR loops',
  'smp-selftest-debug': 'the same with lock contention statistics, printed at the end',
  'smp-selftest-x86barriers': 'the same with x86-style compiler-only barriers: passes under sc, fails under --memory-model arm',
  'smp-idle': 'boots every core into the idle loop, serving ICIs (for the TypeScript API)',
  'deadlock': 'two cores take two spinlocks in opposite order; the layer detects it and panics (exit 3)',
};

export interface RunOptions {
  clusters?: number;
  gicVersion?: number;
  el2?: boolean;
  append?: string;
  image?: string;
  listImages?: boolean;
  smp: number;
  memory: number;
  maxInsns?: number;
  quantum?: number;
  seed?: bigint;
  memoryModel?: 'sc' | 'arm';
  semihosting: boolean;
  load: string[];
  stats?: boolean;
  trace?: string;
  traceFormat?: string;
  traceFilter?: string[];
  traceCoresInline?: boolean;
  rtc?: string;
  rtcBase?: string;
  drive?: string[];
  device?: string[];
  initrd?: string;
  dtb?: string;
  reboot?: boolean;
  gdb?: string;
  gdbHistory?: number;
  /** -s: --gdb 1234. */
  s?: boolean;
  /** -S: wait for the debugger before the first instruction. */
  S?: boolean;
  jit?: boolean;
  jitBackend?: 'wasm' | 'js';
}

/** --device values and the virtio device each adds. */
const DEVICES: Record<string, VirtioSpec['type']> = {
  'virtio-rng-device': 'rng', 'virtio-rng': 'rng', 'virtio-console-device': 'console', 'virtio-console': 'console',
};

export function addRunCommand(program: Command, io: CliIo, done: (status: number) => void): void {
  program
    .command('run')
    .description('run a bare-metal image: ELF, Linux arm64 Image, or raw binary')
    .argument('[image]', `image to boot (default: ${DEFAULT_IMAGE} from the package)`)
    .option('--smp <n>', 'number of cores, 1 to 64', intOption(1, 64), 4)
    .option('--clusters <c>', 'clusters: MPIDR Aff1 = cluster, Aff0 = core in cluster (default: Aff0 = core % 16 as QEMU)', intOption(1, 64))
    .option('--gic-version <v>', 'interrupt controller: 3 (GICv3, default) or 2 (GICv2, at most 8 cores), as QEMU virt\'s gic-version', intOption(2, 3))
    .option('--el2', 'start the boot core at EL2 with PSCI over SMC, as QEMU\'s virtualization=on')
    .option('--append <bootargs>', 'kernel command line, in the device tree\'s /chosen/bootargs')
    .option('--image <name>', 'run a built-in image (see --list-images)')
    .option('--list-images', 'list the built-in images and exit')
    .option('-m, --memory <MiB>', 'RAM size in MiB (also 512M, 1G), at most 3072', memoryOption(1, 3072), 256)
    .option('--max-insns <n>', 'stop after n instructions in total, exit status 124 (3000000000, 3G or 3e9)', intOption(1, Number.MAX_SAFE_INTEGER, true))
    .option('--quantum <n>', 'instructions a core runs before the scheduler moves on', intOption(1, 0x7fff_ffff, true))
    .option('--seed <s>', 'seed, 0 to 2^64-1, for the scheduler (varies quantum lengths and order reproducibly), virtio-rng and /chosen\'s rng-seed and kaslr-seed', seedOption)
    .option('--memory-model <m>', 'sc (default): sequential consistency; arm: the weak Armv8 memory model, the seed choosing the behaviour (see README "Weak memory")', memoryModelOption)
    .option('--no-semihosting', 'make HLT #0xF000 an ordinary (undefined) HLT instead of a semihosting call')
    .option('--initrd <file>', 'initial RAM disk for a Linux kernel, announced in /chosen (QEMU\'s -initrd)')
    .option('--dtb <file>', 'boot with this device tree blob instead of the generated one; RAM and /chosen are patched as QEMU\'s -dtb does')
    .option('--no-reboot', 'PSCI SYSTEM_RESET ends the run (status 0) instead of restarting the machine, as QEMU\'s -no-reboot')
    .option('--load <file@addr>', 'copy a raw file into RAM at a physical address (repeatable)', collect, [])
    .option('--rtc <clock>', 'PL031 RTC clock: vm (virtual time, deterministic; default) or host (the host\'s wall clock)')
    .option('--rtc-base <date>', 'PL031 RTC time at the start of the run: seconds since 1970 or an ISO date (UTC), default 2024-01-01T00:00:00Z')
    .option('--drive <spec>', 'virtio-blk disk: file=IMG[,format=raw][,readonly=on][,snapshot=off][,serial=S] (repeatable); writes stay in memory unless snapshot=off', collect, [])
    .option('--device <name>', 'virtio device after the drives: virtio-rng-device or virtio-console-device (repeatable)', collect, [])
    .option('--gdb <[host:]port>', 'serve the GDB remote protocol on this TCP port (127.0.0.1 unless a host is given; port 0: any free port)')
    .option('--gdb-history <MiB>', 'memory for the snapshots behind reverse execution under gdb (default 256; 0: off)', intOption(0, 65536))
    .option('-s', 'shorthand for --gdb 1234, as QEMU')
    .option('-S', 'with --gdb or -s: wait for the debugger before the first instruction, as QEMU')
    .option('--jit', 'translate hot guest code (the default)')
    .option('--jit-backend <name>', 'what hot code becomes: wasm (WebAssembly, the default) or js (JavaScript functions)', jitBackendOption)
    .option('--no-jit', 'interpret only')
    .option('--stats', 'print instruction counts, run time and MIPS on stderr at exit')
    .option('--trace <file>', 'write an instruction trace of every core (Tarmac: FILE.core0, FILE.core1, ...)')
    .option('--trace-format <fmt>', 'trace format: tarmac (as Arm Fast Models), jsonl, or binary (compact and fastest; `a64emu trace convert` makes Tarmac or JSON Lines of it). Default: jsonl for FILE.jsonl, binary for FILE.a64t, else tarmac')
    .option('--trace-filter <key=values>', 'trace only some events (repeatable, all must hold): core=0,1 kind=insn,sgi el=1 addr=0x40200000-0x40210000 sym=NAME', collect, [])
    .option('--trace-cores-inline', 'Tarmac: one file, each line naming its core after the time (gem5 style: "4 clk cpu0 IT ...")')
    .allowExcessArguments(false)
    .addHelpText('after', `
Exit status: the guest's (semihosting SYS_EXIT, PSCI SYSTEM_OFF = 0); 2 bad usage or image, or a trace that cannot be written;
${EXIT_GUEST_FAULT} the guest faulted beyond recovery; ${EXIT_MAX_INSNS} --max-insns reached; ${EXIT_DEADLOCK} deadlock; 70 internal error.`)
    .action(async (image: string | undefined, opts: RunOptions) => { done(await runImage(image, opts, io)); });
}

/** Boot and run; returns the exit status. Throws CliError for usage and image problems. */
export async function runImage(imageArg: string | undefined, opts: RunOptions, io: CliIo): Promise<number> {
  if (opts.listImages) {
    for (const [name, what] of Object.entries(BUILTIN_IMAGES)) io.stdout(new TextEncoder().encode(`${name.padEnd(20)} ${what}\n`));
    return 0;
  }
  if (opts.image !== undefined) {
    if (imageArg !== undefined) throw new CliError(EXIT_USAGE, 'give an IMAGE or --image, not both');
    if (!(opts.image in BUILTIN_IMAGES)) throw new CliError(EXIT_USAGE, `no built-in image '${opts.image}' (see --list-images)`);
    const root = packageRoot();
    if (root === undefined) throw new CliError(EXIT_USAGE, 'cannot find the package\'s firmware/images');
    imageArg = join(root, 'firmware', 'images', `${opts.image}.elf`);
  }
  let gdbAt: { host: string; port: number } | undefined;
  if (opts.gdb !== undefined || opts.s) {
    if (opts.gdb !== undefined && opts.s) throw new CliError(EXIT_USAGE, 'give --gdb PORT or -s (= --gdb 1234), not both');
    gdbAt = parseGdbAddress(opts.gdb ?? '1234');
    if (gdbAt === undefined) throw new CliError(EXIT_USAGE, `bad --gdb ${opts.gdb}: give [HOST:]PORT, PORT 0 to 65535`);
  } else if (opts.gdbHistory !== undefined) {
    throw new CliError(EXIT_USAGE, '--gdb-history is for --gdb or -s');
  } else if (opts.S) {
    throw new CliError(EXIT_USAGE, '-S waits for a debugger: give --gdb PORT or -s too');
  }
  if (opts.gicVersion === 2 && opts.smp > 8) throw new CliError(EXIT_USAGE, `--smp ${opts.smp}: a GICv2 (--gic-version 2) serves at most 8 cores`);
  if (opts.clusters !== undefined && opts.clusters > opts.smp) throw new CliError(EXIT_USAGE, `--clusters ${opts.clusters} is more than --smp ${opts.smp}`);
  const loads = opts.load.map((spec) => {
    try { return { spec, ...parseLoadSpec(spec) }; } catch (e) {
      throw new CliError(EXIT_USAGE, `bad --load ${spec}: ${(e as Error).message}`);
    }
  });
  let imagePath = imageArg;
  if (imagePath === undefined && loads.length === 0) {
    const root = packageRoot();
    const def = io.defaultImage !== undefined ? io.defaultImage ?? undefined : root === undefined ? undefined : join(root, DEFAULT_IMAGE);
    if (def === undefined || !existsSync(def)) throw new CliError(EXIT_USAGE, `no image given (and the default ${DEFAULT_IMAGE} is not built)`);
    imagePath = def;
  }
  // Read every input before building the machine, so a missing file costs no RAM allocation.
  const imageBytes = imagePath === undefined ? undefined : readInput(io, imagePath);
  const loadBytes = loads.map((l) => readInput(io, l.file));
  const virtio = openVirtio(opts, io);
  const initrdBytes = opts.initrd === undefined ? undefined : readInput(io, opts.initrd);
  const dtbBytes = opts.dtb === undefined ? undefined : readInput(io, opts.dtb);

  // A run with an input stream runs asynchronously, with a timer flushing the output (below); one
  // without flushes at each newline.
  const input = io.stdin;
  const out = new ConsoleSink((b) => io.stdout(b), input === undefined);
  const machineOpts: MachineOptions = {
    smp: opts.smp,
    ramMiB: opts.memory,
    semihosting: opts.semihosting,
    stdout: (b) => out.write(b),
    stdoutByte: (b) => out.writeByte(b),
    stderr: (b) => { out.flush(); io.stderr(b); },
  };
  if (opts.quantum !== undefined) machineOpts.quantum = opts.quantum;
  if (opts.maxInsns !== undefined) machineOpts.maxInsns = opts.maxInsns;
  if (opts.seed !== undefined) machineOpts.seed = opts.seed;
  if (opts.memoryModel !== undefined) machineOpts.memoryModel = opts.memoryModel;
  if (opts.clusters !== undefined) machineOpts.clusters = opts.clusters;
  if (opts.el2) machineOpts.startEl = 2;
  if (opts.gicVersion !== undefined) machineOpts.gicVersion = opts.gicVersion as 2 | 3;
  if (opts.append !== undefined) machineOpts.bootargs = opts.append;
  Object.assign(machineOpts, rtcOptions(opts), { virtio });
  if (opts.reboot === false) machineOpts.noReboot = true;
  if (opts.jit !== undefined) machineOpts.jit = opts.jit;
  if (opts.jitBackend !== undefined) machineOpts.jitBackend = opts.jitBackend;
  let m: Machine;
  try {
    m = new Machine(machineOpts);
  } catch (e) {
    closeDisks(virtio);
    if (e instanceof RangeError && /alloc/i.test(e.message)) {
      throw new CliError(EXIT_USAGE, `cannot allocate ${opts.memory} MiB of guest RAM on this host`);
    }
    throw e;
  }

  let image: LoadedImage | undefined;
  const regions: LoadedRegion[] = [];
  if (imagePath !== undefined && imageBytes !== undefined) {
    try {
      image = loadImage(m, imageBytes, { path: imagePath });
    } catch (e) {
      if (e instanceof ImageError) throw new CliError(EXIT_USAGE, `cannot load ${imagePath}: ${e.message}`);
      throw e;
    }
    regions.push(...image.regions);
    for (const w of image.warnings) io.stderr(`a64emu: warning: ${imagePath}: ${w}\n`);
  }
  loads.forEach((l, k) => {
    try {
      regions.push(loadRaw(m.ram, loadBytes[k], l.addr, l.file));
    } catch (e) {
      if (e instanceof ImageError) throw new CliError(EXIT_USAGE, `cannot load ${l.file}: ${e.message}`);
      throw e;
    }
  });
  try {
    checkOverlaps(regions);
  } catch (e) {
    if (e instanceof ImageError) throw new CliError(EXIT_USAGE, `cannot load: ${e.message}`);
    throw e;
  }
  // Without an image, the first raw file is the program: core 0 starts at its address.
  const entry = image === undefined ? BigInt(loads[0].addr) : image.entry;
  try {
    m.boot(Number(entry), image?.linuxBoot ?? false, regions, {
      initrd: initrdBytes, dtb: dtbBytes, imageEnd: image?.imageEnd === undefined ? undefined : Number(image.imageEnd),
    });
  } catch (e) {
    if (e instanceof DtbError) throw new CliError(EXIT_USAGE, `cannot use ${opts.dtb}: ${e.message}`);
    if (e instanceof RangeError) throw new CliError(EXIT_USAGE, `cannot load: ${e.message}`);
    throw e;
  }
  const symbols = image?.symbols;
  if (symbols !== undefined && symbols.size > 0) m.symbolize = (pc) => symbols.symbolize(pc);

  let tracer: Tracer | undefined;
  const traceFormatOf = (file: string): string => (file.endsWith('.jsonl') ? 'jsonl' : file.endsWith('.a64t') ? 'binary' : 'tarmac');
  if (opts.trace !== undefined) {
    const format = opts.traceFormat ?? traceFormatOf(opts.trace);
    if (format !== 'tarmac' && format !== 'jsonl' && format !== 'binary') throw new CliError(EXIT_USAGE, `--trace-format must be tarmac, jsonl or binary, not '${format}'`);
    if (format !== 'tarmac' && opts.traceCoresInline) throw new CliError(EXIT_USAGE, '--trace-cores-inline is for --trace-format tarmac');
    const outputs = format !== 'tarmac' ? [opts.trace] : TarmacWriter.paths(opts.trace, m.cores.length, opts.traceCoresInline ?? false);
    for (const o of outputs) refuseOverwrite(io, o, [...(imagePath !== undefined ? [imagePath] : []), ...loads.map((l) => l.file)], `--trace ${o}`);
    try {
      tracer = await openTrace(m, {
        path: resolve(io.cwd, opts.trace), format, filters: opts.traceFilter ?? [], inline: opts.traceCoresInline ?? false,
        symbolRange: (name) => {
          const s = symbols?.lookup(name);
          if (s === undefined) return undefined;
          return [s.addr, s.end > s.addr ? s.end : s.addr + 4n];
        },
      });
    } catch (e) {
      if (e instanceof FilterError) throw new CliError(EXIT_USAGE, e.message);
      if (e instanceof TraceWriteError) throw new CliError(EXIT_USAGE, `cannot write the trace ${asGiven(e.path, resolve(io.cwd, opts.trace), opts.trace)}: ${fsErrorMessage(e.cause)}`);
      throw e;
    }
  } else if (opts.traceFormat !== undefined || (opts.traceFilter ?? []).length > 0 || opts.traceCoresInline) {
    throw new CliError(EXIT_USAGE, '--trace-format, --trace-filter and --trace-cores-inline need --trace FILE');
  }

  let gdb: GdbStub | undefined;
  if (gdbAt !== undefined) {
    try {
      // Reverse execution re-runs history, which a trace would record twice: off with --trace.
      const historyBytes = tracer !== undefined ? 0 : (opts.gdbHistory ?? 256) * 1024 * 1024;
      gdb = await GdbStub.listen(m, { ...gdbAt, wait: opts.S ?? false, log: (t) => io.stderr(t), historyBytes });
    } catch (e) {
      closeDisks(virtio);
      try { tracer?.close(); } catch { /* the listen error is the one to report */ }
      if (e instanceof GdbListenError) throw new CliError(EXIT_USAGE, e.message);
      throw e;
    }
  }

  // The UART's receive line reads standard input without blocking the run: bytes go to the PL011 as
  // they arrive, and a guest waiting on a receive interrupt is not a deadlock until input ends.
  // Ctrl-A x quits and Ctrl-A Ctrl-A sends a Ctrl-A, as QEMU's -nographic (console.ts); a terminal
  // is in raw mode for the run.
  const escape = new ConsoleEscape();
  const onData = (b: Buffer) => {
    const r = escape.feed(b);
    if (r.data.length > 0) { if (gdb !== undefined) gdb.hostInput(r.data); else m.uart.receive(r.data); }
    if (r.help) { out.flush(); io.stdout(CONSOLE_HELP); }
    if (r.quit) { out.flush(); io.stdout('a64emu: Terminated\r\n'); m.stop(0, 'Ctrl-A x typed at the console', 'user'); }
  };
  const onEnd = () => { m.inputOpen = false; };
  const restoreTerminal = input === undefined ? () => {} : rawTerminal(input);
  // Output shows up within 50 ms, lines and what has no newline yet (a shell prompt, an echoed
  // keystroke) alike.
  const flusher = input === undefined ? undefined : setInterval(() => out.flush(), 50);
  flusher?.unref();
  if (input !== undefined) {
    m.inputOpen = true;
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onEnd);
  }
  const t0 = process.hrtime.bigint();
  let r;
  let writeError: TraceWriteError | undefined;
  try {
    r = gdb !== undefined ? await gdb.run() : input === undefined ? m.run() : await m.runAsync();
  } catch (e) {
    // The trace could not be written (a full disk): the run stops there, and says so below.
    if (e instanceof TraceWriteError) writeError = e;
    // A bug in the emulator: say where the cores were (main prints it as an internal error).
    else throw new Error(`${errorMessage(e)} (${m.corePcs()})`, { cause: e });
  } finally {
    closeDisks(virtio);
    if (flusher !== undefined) clearInterval(flusher);
    restoreTerminal();
    try {
      tracer?.close();
    } catch (e) {
      if (!(e instanceof TraceWriteError)) throw e; // eslint-disable-line no-unsafe-finally
      writeError ??= e;
    }
    out.flush();
    if (input !== undefined) {
      input.off('data', onData); input.off('end', onEnd); input.off('error', onEnd);
      (input as NodeJS.ReadStream).pause?.();
      (input as NodeJS.ReadStream).unref?.();
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (writeError !== undefined) {
    throw new CliError(EXIT_USAGE, `cannot write the trace ${asGiven(writeError.path, resolve(io.cwd, opts.trace ?? ''), opts.trace ?? '')}: ${fsErrorMessage(writeError.cause)} (the run stopped there; ${m.corePcs()})`);
  }
  if (r === undefined) throw new Error('the run ended without a result');

  if (r.cause !== 'guest' && r.cause !== 'user') io.stderr(`a64emu: ${r.reason}\n`);
  if (opts.stats) io.stderr(statsText(m, r.instructions, seconds));
  return r.status;
}

/** --rtc and --rtc-base as machine options. */
function rtcOptions(opts: RunOptions): Pick<MachineOptions, 'rtcBase' | 'rtcHost'> {
  const r: Pick<MachineOptions, 'rtcBase' | 'rtcHost'> = {};
  if (opts.rtc !== undefined && opts.rtc !== 'vm' && opts.rtc !== 'host') throw new CliError(EXIT_USAGE, `--rtc must be vm or host, not '${opts.rtc}'`);
  if (opts.rtc === 'host') {
    if (opts.rtcBase !== undefined) throw new CliError(EXIT_USAGE, '--rtc-base is for the virtual clock, not --rtc host');
    r.rtcHost = true;
  }
  if (opts.rtcBase !== undefined) {
    const base = parseRtcBase(opts.rtcBase);
    if (base === undefined) throw new CliError(EXIT_USAGE, `bad --rtc-base '${opts.rtcBase}': give seconds since 1970 or a date such as 2024-01-01T00:00:00Z (1970 to 2106)`);
    r.rtcBase = base;
  }
  return r;
}

/** Open the --drive images and list the virtio devices: drives first, then --device entries, each
 * in the order given (QEMU's -device order: the first gets the highest-address transport). */
function openVirtio(opts: RunOptions, io: CliIo): VirtioSpec[] {
  const specs: VirtioSpec[] = [];
  try {
    for (const text of opts.drive ?? []) {
      let d;
      try { d = parseDrive(text); } catch (e) {
        throw new CliError(EXIT_USAGE, `bad --drive ${text}: ${errorMessage(e)}`);
      }
      let store;
      try { store = fileStore(resolve(io.cwd, d.file), !d.snapshot && !d.readonly); } catch (e) {
        throw new CliError(EXIT_USAGE, `cannot open disk image ${d.file}: ${fsErrorMessage(e)}`);
      }
      try { specs.push({ type: 'blk', disk: new Disk(store, d.readonly, d.snapshot, d.serial) }); } catch (e) {
        store.close?.();
        if (e instanceof DiskError) throw new CliError(EXIT_USAGE, `cannot use disk image ${d.file}: ${e.message}`);
        throw e;
      }
    }
    for (const name of opts.device ?? []) {
      const type = DEVICES[name];
      if (type === undefined || type === 'blk') throw new CliError(EXIT_USAGE, `unknown --device '${name}' (known: virtio-rng-device, virtio-console-device; disks are --drive)`);
      specs.push({ type } as VirtioSpec);
    }
    if (specs.length > 32) throw new CliError(EXIT_USAGE, `${specs.length} virtio devices: the board has 32 transports`);
  } catch (e) {
    closeDisks(specs);
    throw e;
  }
  return specs;
}

function closeDisks(specs: VirtioSpec[]): void {
  for (const s of specs) if (s.type === 'blk') s.disk.close();
}

function statsText(m: Machine, instructions: number, seconds: number): string {
  const mips = seconds > 0 ? instructions / seconds / 1e6 : 0;
  let s = `a64emu: stats: ${instructions} instructions in ${seconds.toFixed(3)} s, ${mips.toFixed(2)} MIPS, ${m.time} counter ticks of virtual time\n`;
  const g = m.gic.stats;
  s += 'a64emu: stats: core  instructions  SGIs-sent  SGIs-received  exceptions  WFE-sleeps  STXR-failures\n';
  for (const c of m.cores) {
    s += `a64emu: stats: ${String(c.id).padStart(4)}  ${String(c.icount).padStart(12)}  ${String(g.sgisSent[c.id]).padStart(9)}  ${String(g.sgisReceived[c.id]).padStart(13)}  ${String(m.stats.exceptions[c.id]).padStart(10)}  ${String(c.wfeSleeps).padStart(10)}  ${String(c.exclFailures).padStart(13)}\n`;
  }
  // The process's peak resident memory (maxRSS is in KiB), and what translated code holds.
  s += `a64emu: stats: peak memory ${(process.resourceUsage().maxRSS / 1024).toFixed(1)} MiB`;
  const ts = m.translationStats();
  s += m.translator === null ? '\n' : `, translation cache ${ts.blocks} blocks, ${(ts.bytes / 1024).toFixed(0)} KiB of generated code\n`;
  return s;
}
