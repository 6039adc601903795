// `a64emu litmus FILE...`: run herd7/litmus7-format AArch64 litmus tests many times and print, as
// litmus7 does, the histogram of final states and the verdict (emu/litmus/).

import { Command, Option } from 'commander';
import { EXIT_USAGE } from '../board/exit.js';
import { LitmusSyntaxError, parseLitmus } from '../litmus/parse.js';
import { CompiledTest, LitmusRunError, MemoryModelName, compileLitmus, formatResult, runLitmus } from '../litmus/run.js';
import { CliError, CliIo, intOption, readInput, seedOption } from './common.js';

interface LitmusCliOptions { runs: number; model: MemoryModelName; seed?: bigint; run?: number; quantum: number; skew?: number }

export function addLitmusCommand(program: Command, io: CliIo, done: (status: number) => void): void {
  program
    .command('litmus')
    .description('run AArch64 litmus tests (herd7/litmus7 format) many times and print the final states')
    .argument('<file...>', 'litmus test files')
    .option('--runs <n>', 'runs per test (1000, 10k, 1e5)', intOption(1, 1e9, true), 1000)
    .addOption(new Option('--model <m>', 'memory model: sc (sequential consistency) or arm (the Armv8 model)').choices(['sc', 'arm']).default('sc'))
    // No default value given to commander (its help cannot print a bigint): 0 when absent.
    .option('--seed <s>', 'seed, 0 to 2^64-1: run k uses a machine seed derived from it and k (default: 0)', seedOption)
    .option('--run <k>', 'only run k of --seed (to repeat one run)', intOption(0, Number.MAX_SAFE_INTEGER))
    .option('--quantum <n>', 'mean scheduling quantum in instructions', intOption(1, 1_000_000), 2)
    .option('--skew <rounds>', 'most scheduling rounds a thread\'s start is delayed by (default: the longest thread\'s length in quanta; 0: all start together)', intOption(0, 1_000_000))
    .action(async (files: string[], opts: LitmusCliOptions) => { done(await litmus(files, opts, io)); });
}

/** Parse every file first (a bad one stops everything with FILE:LINE:COL and status 2), then run. */
export async function litmus(files: string[], opts: LitmusCliOptions, io: CliIo): Promise<number> {
  const compiled: CompiledTest[] = [];
  for (const file of files) {
    const text = new TextDecoder().decode(readInput(io, file, 'read'));
    try {
      const test = parseLitmus(text);
      compiled.push(await compileLitmus(test));
    } catch (e) {
      if (e instanceof LitmusSyntaxError) {
        io.stderr(`${file}:${e.line}:${e.col}: ${e.message}\n`);
        return EXIT_USAGE;
      }
      throw e;
    }
  }
  for (const ct of compiled) {
    let r;
    try {
      r = runLitmus(ct, { runs: opts.runs, model: opts.model, seed: opts.seed ?? 0n, only: opts.run, quantum: opts.quantum, skew: opts.skew });
    } catch (e) {
      if (e instanceof LitmusRunError) throw new CliError(EXIT_USAGE, e.message);
      throw e;
    }
    io.stdout(`${formatResult(r)}\n`);
  }
  return 0;
}
