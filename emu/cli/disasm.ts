// `a64emu disasm IMAGE|HEX...`: disassemble an ELF's code (with symbol labels and <symbol+off> after
// branch targets), a raw file, or instruction words given in hex.

import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { loadDisassembler } from '../asm/disassembler.js';
import { EXIT_USAGE } from '../board/exit.js';
import { RAM_BASE } from '../board/machine.js';
import { ImageError, MappingSymbol, PF_X, SHF_EXECINSTR, SHT_NOBITS, isElf, parseElf } from '../loader/elf.js';
import { linuxImageOffset } from '../loader/image.js';
import type { SymbolTable } from '../loader/symbols.js';
import { CliError, CliIo, addressOption, intOption, parseInteger, readInput } from './common.js';

interface DisasmOptions { address?: bigint; start?: string; count?: number }

export function addDisasmCommand(program: Command, io: CliIo, done: (status: number) => void): void {
  program
    .command('disasm')
    .description('disassemble an image file (ELF code sections with symbols, or raw) or hex instruction words')
    .argument('<input...>', 'an image file, or instruction words in hex (0x885ffc01 d503201f ...)')
    .option('--address <addr>', 'address of the first byte of a raw file or of the hex words (default 0)', addressOption)
    .option('--start <addr|symbol>', 'begin at this address or symbol (a sized symbol alone, without --count)')
    .option('--count <n>', 'disassemble at most n words', intOption(1, Number.MAX_SAFE_INTEGER))
    .action(async (input: string[], opts: DisasmOptions) => { done(await disassemble(input, opts, io)); });
}

interface Chunk { title?: string; addr: bigint; bytes: Uint8Array }

const HEX_WORD = /^(0x)?[0-9a-f]{1,8}$/i;
/** Mnemonics whose last operand is a PC-relative target. */
const PC_RELATIVE = /^(b|bl|b\.[a-z]+|cbz|cbnz|tbz|tbnz|adr|adrp|ldr|ldrsw|prfm)$/;
const MASK48 = (1n << 48n) - 1n;

export async function disassemble(input: string[], opts: DisasmOptions, io: CliIo): Promise<number> {
  const tokens = input.flatMap((s) => s.split(/[\s,]+/)).filter((s) => s !== '');
  const first = input.length === 1 ? input[0] : undefined;
  const isFile = first !== undefined && existsSync(resolve(io.cwd, first)) && statSync(resolve(io.cwd, first)).isFile();
  let chunks: Chunk[];
  let symbols: SymbolTable | undefined;
  let mapping: MappingSymbol[] = [];
  if (isFile) {
    const bytes = readInput(io, first, 'disassemble');
    if (isElf(bytes)) {
      let elf;
      try { elf = parseElf(bytes); } catch (e) {
        if (e instanceof ImageError) throw new CliError(EXIT_USAGE, `cannot disassemble ${first}: ${e.message}`);
        throw e;
      }
      for (const w of elf.warnings) io.stderr(`a64emu: warning: ${first}: ${w}\n`);
      symbols = elf.symbols;
      mapping = elf.mapping;
      chunks = elf.sections
        .filter((s) => (s.flags & SHF_EXECINSTR) !== 0 && s.type !== SHT_NOBITS && s.size > 0)
        .map((s) => ({ title: `Disassembly of section ${s.name || `#${s.index}`}:`, addr: s.addr, bytes: bytes.subarray(s.offset, s.offset + s.size) }));
      if (chunks.length === 0) {
        chunks = elf.loads
          .filter((p) => (p.flags & PF_X) !== 0 && p.filesz > 0)
          .map((p) => ({ title: `Disassembly of segment ${p.index}:`, addr: p.vaddr, bytes: bytes.subarray(p.offset, p.offset + p.filesz) }));
      }
      if (chunks.length === 0) throw new CliError(EXIT_USAGE, `cannot disassemble ${first}: no executable sections or segments`);
    } else {
      const off = linuxImageOffset(bytes);
      const addr = opts.address ?? (off === undefined ? 0n : BigInt(RAM_BASE) + off);
      chunks = [{ addr, bytes }];
    }
  } else {
    const bad = tokens.find((t) => !HEX_WORD.test(t));
    if (tokens.length === 0 || bad !== undefined) {
      if (first !== undefined && !HEX_WORD.test(first)) throw new CliError(EXIT_USAGE, `cannot disassemble ${first}: no such file, and not hex words`);
      throw new CliError(EXIT_USAGE, `not an instruction word in hex: "${bad ?? ''}"`);
    }
    const bytes = new Uint8Array(tokens.length * 4);
    const dv = new DataView(bytes.buffer);
    tokens.forEach((t, k) => dv.setUint32(4 * k, parseInt(t.replace(/^0x/i, ''), 16) >>> 0, true));
    chunks = [{ addr: opts.address ?? 0n, bytes }];
  }

  // --start: an address, or a symbol (alone: up to its end when sized and no --count).
  let start: bigint | undefined, stop: bigint | undefined;
  if (opts.start !== undefined) {
    const n = parseInteger(opts.start);
    if (n !== undefined) start = n;
    else {
      const s = symbols?.lookup(opts.start);
      if (s === undefined) throw new CliError(EXIT_USAGE, `--start: no symbol "${opts.start}"${symbols === undefined ? ' (no symbol table)' : ''}`);
      start = s.addr;
      if (s.size > 0n && opts.count === undefined) stop = s.addr + s.size;
    }
  }

  const dis = await loadDisassembler();
  const labels = new Map<bigint, string>();
  if (symbols !== undefined) for (const s of symbols.symbols) labels.set(s.addr, s.name); // the preferred symbol comes last
  let remaining = opts.count ?? Infinity;
  let out = '';
  let printed = 0;
  const flush = (): void => { if (out !== '') { io.stdout(out); out = ''; } };

  for (const ch of chunks) {
    if (remaining <= 0) break;
    const dv = new DataView(ch.bytes.buffer, ch.bytes.byteOffset, ch.bytes.byteLength);
    let k = 0;
    if (start !== undefined && start > ch.addr) {
      const skip = start - ch.addr;
      if (skip >= BigInt(ch.bytes.length)) continue;
      k = Number(skip) & ~3;
    }
    let titled = false;
    let mapIdx = 0;
    let dataMode = false;
    for (; k < ch.bytes.length && remaining > 0; k += 4) {
      const a = ch.addr + BigInt(k);
      if (stop !== undefined && a >= stop) break;
      if (!titled) {
        if (ch.title !== undefined) out += `${printed > 0 ? '\n' : ''}${ch.title}\n`;
        titled = true;
      }
      // Mapping symbols ($x code, $d data) in effect at this address.
      while (mapIdx < mapping.length && mapping[mapIdx].addr <= a) { dataMode = mapping[mapIdx].kind === 'd'; mapIdx++; }
      const label = labels.get(a);
      if (label !== undefined) out += `\n${a.toString(16).padStart(16, '0')} <${label}>:\n`;
      const addrText = `${a.toString(16).padStart(8, ' ')}:  `;
      if (k + 4 > ch.bytes.length) {
        const tail = Array.from(ch.bytes.subarray(k), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ');
        out += `${addrText}${''.padEnd(8)}  .byte ${tail}\n`;
      } else {
        const w = dv.getUint32(k, true);
        const wh = w.toString(16).padStart(8, '0');
        const text = dataMode ? `.word 0x${wh}` : instructionText(dis, w, a, symbols);
        out += `${addrText}${wh}  ${text}\n`;
      }
      remaining--;
      printed++;
      if (out.length > 65536) flush();
    }
  }
  flush();
  if (printed === 0 && start !== undefined) throw new CliError(EXIT_USAGE, `nothing to disassemble at 0x${start.toString(16)}`);
  return 0;
}

function instructionText(dis: (w: number, a: number) => { mnemonic: string; operands: string; text: string }, w: number, a: bigint,
  symbols: SymbolTable | undefined): string {
  // Capstone takes the address as a double: give it the low 48 bits and put the rest back into targets.
  const low = a & MASK48, high = a - low;
  const d = dis(w, Number(low));
  if (!PC_RELATIVE.test(d.mnemonic) || d.operands.includes('[')) return d.text;
  const m = /#0x([0-9a-f]+)$/i.exec(d.operands);
  if (m === null) return d.text;
  const target = (high + BigInt('0x' + m[1])) & ((1n << 64n) - 1n);
  const operands = d.operands.slice(0, m.index) + `#0x${target.toString(16)}`;
  const sym = symbols?.symbolize(target);
  return `${d.mnemonic} ${operands}${sym === undefined ? '' : ` <${sym}>`}`;
}
