// A decoded instruction. One object per distinct code location, created once at decode time and cached,
// so the execute path only reads fields. Every Insn has the same shape (all fields initialised in the
// constructor) so that handler call sites stay monomorphic.

import type { Cpu } from './cpu.js';

export type Handler = (c: Cpu, i: Insn) => void;
/** Runs once at decode time; may rewrite fields (e.g. resolve SP, expand an immediate). false = UNDEFINED. */
export type Prepare = (i: Insn) => boolean;

export class Insn {
  exec: Handler;
  name: string;
  word = 0;
  // Fields named by the pattern letters below.
  rd = 0; rn = 0; rm = 0; ra = 0; rt = 0; rt2 = 0; rs = 0;
  imm = 0; imm2 = 0; sf = 0; size = 0; opc = 0; sh = 0; cond = 0; opt = 0; S = 0; N = 0; o = 0;
  // SIMD&FP fields: the Q (128-bit) and U (unsigned) bits, the scalar FP type, rounding mode, a
  // second opcode field.
  Q = 0; U = 0; ftype = 0; rmode = 0; opc2 = 0;
  // Values a Prepare step precomputes (decoded bitmask immediates, shifted offsets...).
  aux0 = 0; aux1 = 0; aux2 = 0; aux3 = 0;
  /** The tracer's notes on this instruction (trace/tracer.ts CodeInfo), made the first time it is
   * traced; always null when tracing is off. */
  trace: object | null = null;
  /** The memory model's class of this instruction (memory-model/model.ts), made the first time it
   * runs under --memory-model arm; always null otherwise. */
  mm: object | null = null;

  constructor(exec: Handler, name: string) {
    this.exec = exec;
    this.name = name;
  }
}

/** Which Insn field each pattern letter fills. A run of one letter is one field, MSB first. */
export const FIELD_LETTERS: Readonly<Record<string, keyof Insn>> = {
  d: 'rd', n: 'rn', m: 'rm', a: 'ra', t: 'rt', u: 'rt2', s: 'rs',
  i: 'imm', j: 'imm2', z: 'sf', q: 'size', o: 'opc', h: 'sh', c: 'cond', x: 'opt', S: 'S', N: 'N', p: 'o',
  Q: 'Q', U: 'U', y: 'ftype', r: 'rmode', k: 'opc2',
};

/** One line of the decode table. */
export interface Encoding {
  /** 32 characters MSB first (spaces ignored): 0/1 fixed, a letter from FIELD_LETTERS for a field. */
  pattern: string;
  /** Arm ARM mnemonic and form, e.g. "ADD_imm". */
  name: string;
  exec: Handler;
  prepare?: Prepare;
  /** Where two encodings overlap, the higher priority wins; the overlap test requires them to differ. */
  priority?: number;
}

/** Table row shorthand: enc('z0010001 hh iiiiiiiiiiii nnnnn ddddd', 'ADD_imm', addImm, prepAddImm). */
export function enc(pattern: string, name: string, exec: Handler, prepare?: Prepare, priority?: number): Encoding {
  return { pattern, name, exec, prepare, priority };
}
