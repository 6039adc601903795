// Run a guest image file in-process, as `a64emu run` does, capturing its console output.

import { readFileSync } from 'node:fs';
import { Machine, MachineOptions, RunResult } from '../emu/board/machine.js';
import { loadImage } from '../emu/loader/image.js';

export interface ImageRun extends RunResult { stdout: string; machine: Machine }

export function runImageFile(path: string, opts: MachineOptions = {}): ImageRun {
  const chunks: Uint8Array[] = [];
  const m = new Machine({ ramMiB: 256, ...opts, stdout: (b) => chunks.push(b.slice()), stderr: (b) => chunks.push(b.slice()) });
  const img = loadImage(m, readFileSync(path), { path });
  m.boot(Number(img.entry), img.linuxBoot, img.regions);
  const syms = img.symbols;
  if (syms) m.symbolize = (pc) => syms.symbolize(pc);
  const r = m.run();
  return { ...r, stdout: Buffer.concat(chunks).toString('latin1'), machine: m };
}
