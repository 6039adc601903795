// `a64emu asm "ldaxr w1, [x0]"`: assemble with keystone, print each word with capstone's reading of it.

import { Command } from 'commander';
import { assembler } from '../asm/assembler.js';
import { loadDisassembler } from '../asm/disassembler.js';
import { EXIT_USAGE } from '../board/exit.js';
import { CliError, CliIo, addressOption, errorMessage } from './common.js';

export function addAsmCommand(program: Command, io: CliIo, done: (status: number) => void): void {
  program
    .command('asm')
    .description('assemble A64 instructions (keystone; no LSE) and print the encodings')
    .argument('<source...>', 'instructions; separate several with ";" (quotes optional)')
    // No default value given to commander: its help prints defaults with JSON.stringify, which
    // cannot print a bigint.
    .option('--address <addr>', 'address of the first instruction, for PC-relative forms (default: 0)', addressOption)
    .action(async (source: string[], opts: { address?: bigint }) => { done(await assemble(source.join(' '), opts.address ?? 0n, io)); });
}

export async function assemble(source: string, address: bigint, io: CliIo): Promise<number> {
  if (source.trim() === '') throw new CliError(EXIT_USAGE, 'nothing to assemble');
  if (address > BigInt(Number.MAX_SAFE_INTEGER)) throw new CliError(EXIT_USAGE, 'asm: --address must be below 2^53');
  const asm = await assembler();
  let bytes: Uint8Array;
  try {
    bytes = asm(source, Number(address));
  } catch (e) {
    throw new CliError(EXIT_USAGE, errorMessage(e));
  }
  if (bytes.length === 0) throw new CliError(EXIT_USAGE, `cannot assemble "${source}": no instructions`);
  const dis = await loadDisassembler();
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let out = '';
  for (let k = 0; k + 4 <= bytes.length; k += 4) {
    const w = dv.getUint32(k, true);
    out += `0x${w.toString(16).padStart(8, '0')}  ${dis(w, Number(address) + k).text}\n`;
  }
  io.stdout(out);
  return 0;
}
