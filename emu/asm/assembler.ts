// A64 assembly through keystone-wasm. Keystone predates LSE: it cannot assemble CAS/LDADD/SWP and
// friends, so tests give those as raw encodings. Two keystone faults are worked around here: a `//`
// comment at the very end of the source drops its whole line (a newline after it does not), and a
// statement beginning with "/" (not a comment) never returns.

import { Keystone, loadKeystone, Const } from 'keystone-wasm';

let ks: Keystone | undefined;

export async function assembler(): Promise<(source: string, address?: number) => Uint8Array> {
  if (ks === undefined) {
    await loadKeystone();
    ks = new Keystone(Const.KS_ARCH_ARM64, Const.KS_MODE_LITTLE_ENDIAN);
  }
  const k = ks;
  return (source, address = 0) => {
    const stray = source.split('\n').flatMap((l) => l.split('//')[0].split(';')).find((st) => /^\s*\/(?![*/])/.test(st));
    if (stray !== undefined) throw new Error(`cannot assemble "${source}": "${stray.trim()}" begins with "/"`);
    try {
      return k.asm(source.endsWith('\n') ? source : `${source}\n`, { address });
    } catch (e) {
      throw new Error(`cannot assemble "${source}": ${(e as Error).message.replace(/^Failed to assemble, error: /, '')}`);
    }
  };
}

/** Assemble to 32-bit instruction words. */
export async function assembleWords(source: string, address = 0): Promise<number[]> {
  const bytes = (await assembler())(source, address);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words: number[] = [];
  for (let k = 0; k + 4 <= bytes.length; k += 4) words.push(dv.getUint32(k, true));
  return words;
}
