// A64 disassembly through capstone-wasm, one word at a time so an undefined word in the middle of
// code does not stop the listing.

import { Capstone, loadCapstone, Const } from 'capstone-wasm';

let cs: Capstone | undefined;

export interface Disasm { mnemonic: string; operands: string; text: string }

export async function loadDisassembler(): Promise<(word: number, address: number | bigint) => Disasm> {
  if (cs === undefined) {
    await loadCapstone();
    cs = new Capstone(Const.CS_ARCH_ARM64, Const.CS_MODE_ARM);
  }
  const c = cs;
  const bytes = new Uint8Array(4);
  const dv = new DataView(bytes.buffer);
  return (word, address) => {
    dv.setUint32(0, word >>> 0, true);
    let r: { mnemonic: string; opStr: string }[];
    try { r = c.disasm(bytes, { address, count: 1 }); } catch { r = []; } // capstone throws on an invalid word
    if (r.length === 0) return { mnemonic: '.inst', operands: `0x${(word >>> 0).toString(16).padStart(8, '0')}`, text: `.inst 0x${(word >>> 0).toString(16).padStart(8, '0')}` };
    const { mnemonic, opStr } = r[0];
    return { mnemonic, operands: opStr, text: opStr ? `${mnemonic} ${opStr}` : mnemonic };
  };
}
