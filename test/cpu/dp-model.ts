// BigInt models for the data-processing tests, written from the Arm ARM's definitions, and the
// keystone helper they assemble with. Expected values come from these, never from the emulator.

import { assembleWords } from '../../emu/asm/assembler.js';
import { a64Decoder } from '../../emu/board/machine.js';

export async function A(src: string): Promise<number> {
  const w = await assembleWords(src);
  if (w.length !== 1) throw new Error(`${src}: ${w.length} words`);
  return w[0];
}

export const u = (v: bigint, n = 64): bigint => BigInt.asUintN(n, v);
export const s = (v: bigint, n = 64): bigint => BigInt.asIntN(n, v);
export const ones = (k: number): bigint => (1n << BigInt(k)) - 1n;

/** AddWithCarry from the Arm ARM pseudocode, on N bits. */
export function awc(x: bigint, y: bigint, cin: bigint, N: number): { r: bigint; nzcv: number } {
  const us = u(x, N) + u(y, N) + cin;
  const ss = s(x, N) + s(y, N) + cin;
  const r = u(us, N);
  const n = Number(r >> BigInt(N - 1));
  const z = r === 0n ? 1 : 0;
  const c = r === us ? 0 : 1;
  const v = s(r, N) === ss ? 0 : 1;
  return { r, nzcv: (n << 3) | (z << 2) | (c << 1) | v };
}

export function isUndef(word: number): boolean {
  return a64Decoder().decode(word).name === 'UNDEFINED';
}
