// A minimal WebAssembly binary writer for the translator's WebAssembly back end: one function per
// module, built as a byte array by FnBuilder, wrapped by moduleBytes() with the imports every region
// module has (IMPORTS: the machine's memory and a few JavaScript functions). Encodings follow the
// WebAssembly core specification (binary format, section 5).

export const I32 = 0x7f;
export const I64 = 0x7e;
export type ValType = typeof I32 | typeof I64;

/** Opcodes used by the back end (WebAssembly core specification 5.4). */
export const Op = {
  unreachable: 0x00, block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, brTable: 0x0e,
  return: 0x0f, call: 0x10, callIndirect: 0x11, returnCall: 0x12, returnCallIndirect: 0x13, drop: 0x1a, select: 0x1b,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Load: 0x28, i64Load: 0x29, i32Load8S: 0x2c, i32Load8U: 0x2d, i32Load16S: 0x2e, i32Load16U: 0x2f,
  i64Load8S: 0x30, i64Load8U: 0x31, i64Load16S: 0x32, i64Load16U: 0x33, i64Load32S: 0x34, i64Load32U: 0x35,
  i32Store: 0x36, i64Store: 0x37, i32Store8: 0x3a, i32Store16: 0x3b, i64Store8: 0x3c, i64Store16: 0x3d, i64Store32: 0x3e,
  i32Const: 0x41, i64Const: 0x42,
  i32Eqz: 0x45, i32Eq: 0x46, i32Ne: 0x47, i32LtS: 0x48, i32LtU: 0x49, i32GtS: 0x4a, i32GtU: 0x4b,
  i32LeS: 0x4c, i32LeU: 0x4d, i32GeS: 0x4e, i32GeU: 0x4f,
  i64Eqz: 0x50, i64Eq: 0x51, i64Ne: 0x52, i64LtS: 0x53, i64LtU: 0x54, i64GtS: 0x55, i64GtU: 0x56,
  i64LeS: 0x57, i64LeU: 0x58, i64GeS: 0x59, i64GeU: 0x5a,
  i32Clz: 0x67, i32Ctz: 0x68, i32Popcnt: 0x69, i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32DivS: 0x6d,
  i32DivU: 0x6e, i32RemS: 0x6f, i32RemU: 0x70, i32And: 0x71, i32Or: 0x72, i32Xor: 0x73, i32Shl: 0x74,
  i32ShrS: 0x75, i32ShrU: 0x76, i32Rotl: 0x77, i32Rotr: 0x78,
  i64Clz: 0x79, i64Ctz: 0x7a, i64Popcnt: 0x7b, i64Add: 0x7c, i64Sub: 0x7d, i64Mul: 0x7e, i64DivS: 0x7f,
  i64DivU: 0x80, i64RemS: 0x81, i64RemU: 0x82, i64And: 0x83, i64Or: 0x84, i64Xor: 0x85, i64Shl: 0x86,
  i64ShrS: 0x87, i64ShrU: 0x88, i64Rotl: 0x89, i64Rotr: 0x8a,
  i32WrapI64: 0xa7, i64ExtendI32S: 0xac, i64ExtendI32U: 0xad,
  i32Extend8S: 0xc0, i32Extend16S: 0xc1, i64Extend8S: 0xc2, i64Extend16S: 0xc3, i64Extend32S: 0xc4,
} as const;

/** Block type of a block, loop or if with no result. */
export const VOID = 0x40;

/** The functions every region module imports, in index order (the module's own function follows). */
export const IMPORTS: { name: string; params: ValType[]; results: ValType[] }[] = [
  // call(k, pcLo, pcHi, retired, nzcv) -> status: the region's k-th handler call (translator.ts).
  { name: 'call', params: [I32, I32, I32, I32, I32], results: [I32] },
  // crc(crc, value, table, bytes) -> crc: CRC32/CRC32C of the low bytes of value (emit-dp's dpCrc).
  { name: 'crc', params: [I32, I32, I32, I32], results: [I32] },
  // jump(area, budget, retired, pcLo, pcHi, nzcv, slot): the region in the table's slot (the
  // trampoline module's; a module that imported the table itself would be kept alive by it in V8).
  { name: 'jump', params: [I32, I32, I32, I32, I32, I32, I32], results: [] },
  // pure(k, pcLo, pcHi, retired): the region's k-th handler call, for an FP_PURE handler (codegen.ts),
  // which needs no flags, cannot change the flow or the fetch cache, and takes no exception.
  { name: 'pure', params: [I32, I32, I32, I32], results: [] },
];
export const FN_CALL = 0;
export const FN_CRC = 1;
export const FN_JUMP = 2;
export const FN_PURE = 3;

function uleb(out: number[], v: number): void {
  v >>>= 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
}

function sleb32(out: number[], v: number): void {
  v |= 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) { out.push(b); return; }
    out.push(b | 0x80);
  }
}

/** Signed LEB128 of the 64-bit value hi:lo (two int32s). */
function sleb64(out: number[], lo: number, hi: number): void {
  lo >>>= 0; hi |= 0;
  for (;;) {
    const b = lo & 0x7f;
    // Shift the 64-bit value right by 7, arithmetically.
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>= 7;
    const done = (hi === 0 && lo === 0 && (b & 0x40) === 0) || (hi === -1 && lo === 0xffffffff && (b & 0x40) !== 0);
    if (done) { out.push(b); return; }
    out.push(b | 0x80);
  }
}

/** The body of one function: its locals (after the parameters) and its code. */
export class FnBuilder {
  readonly code: number[] = [];
  private readonly localTypes: ValType[] = [];
  /** Open blocks, loops and ifs, innermost last, with the label each was given (for br depths). */
  private readonly labels: (string | null)[] = [];

  constructor(readonly params: ValType[], readonly results: ValType[] = []) {}

  /** A new local of type t; its index. */
  local(t: ValType): number {
    this.localTypes.push(t);
    return this.params.length + this.localTypes.length - 1;
  }

  op(...bytes: number[]): this { for (const b of bytes) this.code.push(b); return this; }
  i32(v: number): this { this.code.push(Op.i32Const); sleb32(this.code, v); return this; }
  /** i64.const hi:lo. */
  i64(lo: number, hi = lo < 0 ? -1 : 0): this { this.code.push(Op.i64Const); sleb64(this.code, lo, hi); return this; }
  get(l: number): this { this.code.push(Op.localGet); uleb(this.code, l); return this; }
  set(l: number): this { this.code.push(Op.localSet); uleb(this.code, l); return this; }
  tee(l: number): this { this.code.push(Op.localTee); uleb(this.code, l); return this; }
  /** A load or store with a constant offset (alignment hint 0: guest accesses may be unaligned). */
  mem(op: number, offset = 0): this { this.code.push(op, 0); uleb(this.code, offset); return this; }
  callFn(index: number): this { this.code.push(Op.call); uleb(this.code, index); return this; }

  /** Open a block, loop or if (`kind` one of Op.block, Op.loop, Op.if), optionally labelled. */
  open(kind: number, label: string | null = null): this { this.code.push(kind, VOID); this.labels.push(label); return this; }
  else(): this { this.code.push(Op.else); return this; }
  end(): this { this.code.push(Op.end); this.labels.pop(); return this; }
  /** The br depth of the innermost open construct with this label. */
  depth(label: string): number {
    for (let d = 0; d < this.labels.length; d++) if (this.labels[this.labels.length - 1 - d] === label) return d;
    throw new Error(`no open label ${label}`);
  }
  br(label: string): this { this.code.push(Op.br); uleb(this.code, this.depth(label)); return this; }
  brIf(label: string): this { this.code.push(Op.brIf); uleb(this.code, this.depth(label)); return this; }
  /** br_table: to targets[i] for the i32 i on the stack, else to dflt. */
  brTable(targets: string[], dflt: string): this {
    this.code.push(Op.brTable);
    uleb(this.code, targets.length);
    for (const t of targets) uleb(this.code, this.depth(t));
    uleb(this.code, this.depth(dflt));
    return this;
  }

  /** The function body as the code section holds it (locals, code, end). */
  body(): number[] {
    const out: number[] = [];
    // Locals in runs of one type.
    const runs: [number, ValType][] = [];
    for (const t of this.localTypes) {
      if (runs.length > 0 && runs[runs.length - 1][1] === t) runs[runs.length - 1][0]++;
      else runs.push([1, t]);
    }
    uleb(out, runs.length);
    for (const [n, t] of runs) { uleb(out, n); out.push(t); }
    for (const b of this.code) out.push(b);
    out.push(Op.end);
    return out;
  }
}

function section(out: number[], id: number, content: number[]): void {
  out.push(id);
  uleb(out, content.length);
  for (const b of content) out.push(b);
}

function name(out: number[], s: string): void {
  uleb(out, s.length);
  for (let k = 0; k < s.length; k++) out.push(s.charCodeAt(k));
}

function funcType(out: number[], params: ValType[], results: ValType[]): void {
  out.push(0x60);
  uleb(out, params.length); out.push(...params);
  uleb(out, results.length); out.push(...results);
}

/** The signature of a region function (wasm/codegen.ts): (area, budget, retired, pcLo, pcHi, nzcv). */
export const REGION_PARAMS: ValType[] = [I32, I32, I32, I32, I32, I32];

/** A module: function types; imports env.mem (a memory of at least `pages` 64 KiB pages), env.tab
 * (a table of functions) when `table`, and functions env.<name> of a type; its own functions, each
 * of a type; and exported functions by index (imported functions first). */
function assemble(types: [ValType[], ValType[]][], pages: number, table: boolean, imported: [string, number][],
  fns: [number, FnBuilder][], exported: [string, number][]): Uint8Array<ArrayBuffer> {
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const t: number[] = [];
  uleb(t, types.length);
  for (const [params, results] of types) funcType(t, params, results);
  section(out, 1, t);
  const im: number[] = [];
  uleb(im, imported.length + (table ? 2 : 1));
  name(im, 'env'); name(im, 'mem'); im.push(0x02, 0x00); uleb(im, pages);
  if (table) { name(im, 'env'); name(im, 'tab'); im.push(0x01, 0x70, 0x00); uleb(im, 0); }
  for (const [n, type] of imported) { name(im, 'env'); name(im, n); im.push(0x00); uleb(im, type); }
  section(out, 2, im);
  const fs: number[] = [];
  uleb(fs, fns.length);
  for (const [type] of fns) uleb(fs, type);
  section(out, 3, fs);
  const ex: number[] = [];
  uleb(ex, exported.length);
  for (const [n, index] of exported) { name(ex, n); ex.push(0x00); uleb(ex, index); }
  section(out, 7, ex);
  const c: number[] = [];
  uleb(c, fns.length);
  for (const [, f] of fns) { const body = f.body(); uleb(c, body.length); for (const b of body) c.push(b); }
  section(out, 10, c);
  return new Uint8Array(out);
}

/** A module importing env.mem (a memory of at least `pages` 64 KiB pages) and IMPORTS, defining fn and
 * exporting it as "f". */
export function moduleBytes(fn: FnBuilder, pages: number): Uint8Array<ArrayBuffer> {
  const n = IMPORTS.length;
  return assemble([...IMPORTS.map((f): [ValType[], ValType[]] => [f.params, f.results]), [fn.params, fn.results]], pages, false,
    IMPORTS.map((f, k) => [f.name, k]), [[n, fn]], [['f', n]]);
}

/** The trampoline module, the one importer of env.tab (the table of region functions):
 * t(slot, area, budget, retired, pcLo, pcHi, nzcv) calls the region function in slot (JavaScript
 * calling one WebAssembly function at one call site is several times cheaper than calling a different
 * one each time: V8 then uses a generic wrapper); j(area, ..., nzcv, slot) tail-calls it (regions
 * import it as `jump`); and `stub` (a region signature), exported as "s", is what the table's slots
 * that hold no region hold. */
export function trampolineBytes(stub: FnBuilder, pages: number): Uint8Array<ArrayBuffer> {
  const n = REGION_PARAMS.length;
  const t = new FnBuilder([I32, ...REGION_PARAMS]);
  for (let k = 1; k <= n; k++) t.get(k);
  t.get(0).op(Op.callIndirect, 0, 0);
  const j = new FnBuilder([...REGION_PARAMS, I32]);
  for (let k = 0; k <= n; k++) j.get(k);
  j.op(Op.returnCallIndirect, 0, 0);
  // Type 0, the region signature, is what call_indirect through the table expects.
  return assemble([[REGION_PARAMS, []], [t.params, []], [j.params, []]], pages, true, [],
    [[1, t], [0, stub], [2, j]], [['t', 0], ['s', 1], ['j', 2]]);
}
