// Compiles the decode table (pattern strings, see insn.ts) into masks, expected values and field
// extractors, bucketed by bits [28:21] so a lookup scans a handful of candidates. Decoding runs once
// per code location (results are cached by the code cache), so clarity beats speed here.

import { Encoding, FIELD_LETTERS, Handler, Insn } from './insn.js';

interface FieldExtractor { field: keyof Insn; shift: number; width: number }

export interface CompiledEncoding {
  enc: Encoding;
  mask: number;
  value: number;
  fixedBits: number;
  priority: number;
  fields: FieldExtractor[];
}

const BUCKET_SHIFT = 21;
const BUCKET_BITS = 8;

export function compileEncoding(e: Encoding): CompiledEncoding {
  const p = e.pattern.replace(/[\s_]/g, '');
  if (p.length !== 32) throw new Error(`decode table: ${e.name}: pattern has ${p.length} bits, not 32`);
  let mask = 0, value = 0, fixedBits = 0;
  const fields: FieldExtractor[] = [];
  for (let i = 0; i < 32; ) {
    const ch = p[i];
    const bit = 31 - i;
    if (ch === '0' || ch === '1') {
      mask |= 1 << bit;
      if (ch === '1') value |= 1 << bit;
      fixedBits++;
      i++;
      continue;
    }
    const field = FIELD_LETTERS[ch];
    if (field === undefined) throw new Error(`decode table: ${e.name}: unknown field letter '${ch}'`);
    let j = i;
    while (j < 32 && p[j] === ch) j++;
    if (fields.some((f) => f.field === field)) throw new Error(`decode table: ${e.name}: field '${ch}' appears twice`);
    fields.push({ field, shift: 31 - (j - 1), width: j - i });
    i = j;
  }
  return { enc: e, mask: mask | 0, value: value | 0, fixedBits, priority: e.priority ?? 0, fields };
}

export function matches(c: CompiledEncoding, word: number): boolean {
  return (word & c.mask) === c.value;
}

/** True when some word matches both encodings. */
export function overlaps(a: CompiledEncoding, b: CompiledEncoding): boolean {
  return ((a.value ^ b.value) & a.mask & b.mask) === 0;
}

export class Decoder {
  readonly all: CompiledEncoding[];
  private readonly buckets: CompiledEncoding[][];

  constructor(table: readonly Encoding[], private readonly undefinedHandler: Handler) {
    this.all = table.map(compileEncoding);
    // Higher priority first, then more fixed bits first.
    const ordered = [...this.all].sort((a, b) => b.priority - a.priority || b.fixedBits - a.fixedBits);
    this.buckets = [];
    const bmask = ((1 << BUCKET_BITS) - 1) << BUCKET_SHIFT;
    for (let k = 0; k < 1 << BUCKET_BITS; k++) {
      const w = k << BUCKET_SHIFT;
      this.buckets.push(ordered.filter((c) => ((w ^ c.value) & c.mask & bmask) === 0));
    }
  }

  lookup(word: number): CompiledEncoding | undefined {
    const bucket = this.buckets[(word >>> BUCKET_SHIFT) & ((1 << BUCKET_BITS) - 1)];
    for (const c of bucket) if ((word & c.mask) === c.value) return c;
    return undefined;
  }

  /** Decode one word into a fresh Insn. Unallocated or reserved encodings get the UNDEFINED handler. */
  decode(word: number): Insn {
    word |= 0;
    const c = this.lookup(word);
    if (c === undefined) return this.undef(word);
    const insn = new Insn(c.enc.exec, c.enc.name);
    insn.word = word;
    const rec = insn as unknown as Record<string, number>;
    for (const f of c.fields) rec[f.field] = (word >>> f.shift) & ((1 << f.width) - 1);
    if (c.enc.prepare !== undefined && !c.enc.prepare(insn)) return this.undef(word);
    return insn;
  }

  private undef(word: number): Insn {
    const insn = new Insn(this.undefinedHandler, 'UNDEFINED');
    insn.word = word;
    return insn;
  }
}
