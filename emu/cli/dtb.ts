// `a64emu dtb`: write the device tree blob the board generates for the given options.

import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { Machine } from '../board/machine.js';
import { CliError, CliIo, intOption, memoryOption, seedOption } from './common.js';
import { EXIT_USAGE } from '../board/exit.js';

interface DtbOptions { smp: number; clusters?: number; gicVersion?: number; memory: number; el2?: boolean; append?: string; seed?: number | bigint; output?: string }

export function addDtbCommand(program: Command, io: CliIo, done: (status: number) => void): void {
  program
    .command('dtb')
    .description('write the device tree blob of the board (read it back with dtc -I dtb -O dts)')
    .option('--smp <n>', 'number of cores, 1 to 64', intOption(1, 64), 4)
    .option('--clusters <c>', 'clusters: MPIDR Aff1 = cluster, Aff0 = core in cluster', intOption(1, 64))
    .option('-m, --memory <MiB>', 'RAM size in MiB, at most 3072', memoryOption(1, 3072), 256)
    .option('--gic-version <v>', 'interrupt controller: 3 (default) or 2 (at most 8 cores)', intOption(2, 3))
    .option('--el2', 'the board as started at EL2: PSCI method "smc"')
    .option('--append <bootargs>', 'kernel command line for /chosen/bootargs')
    .option('--seed <s>', 'the run\'s --seed, from which /chosen\'s rng-seed and kaslr-seed derive', seedOption)
    .option('-o, --output <file>', 'where to write the blob (default: standard output)')
    .allowExcessArguments(false)
    .action((opts: DtbOptions) => {
      if (opts.clusters !== undefined && opts.clusters > opts.smp) throw new CliError(EXIT_USAGE, `--clusters ${opts.clusters} is more than --smp ${opts.smp}`);
      if (opts.gicVersion === 2 && opts.smp > 8) throw new CliError(EXIT_USAGE, `--smp ${opts.smp}: a GICv2 (--gic-version 2) serves at most 8 cores`);
      const m = new Machine({ smp: opts.smp, clusters: opts.clusters, gicVersion: (opts.gicVersion ?? 3) as 2 | 3, ramMiB: opts.memory, startEl: opts.el2 ? 2 : 1, bootargs: opts.append ?? '', seed: opts.seed ?? 0, stdout: () => {} });
      if (opts.output === undefined) io.stdout(m.dtb);
      else {
        try { writeFileSync(opts.output, m.dtb); } catch (e) { throw new CliError(EXIT_USAGE, `cannot write ${opts.output}: ${(e as Error).message}`); }
      }
      done(0);
    });
}
