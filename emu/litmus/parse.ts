// The herd7/litmus7 litmus format for AArch64: the parser. A file is
//
//   AArch64 NAME                      the architecture and the test's name
//   "a comment"  /  Key=Value         optional lines before the init block (kept as metadata)
//   { 0:X1=x; 1:X0=0; x=0; uint64_t y=1; }   registers (values or locations' addresses) and memory
//    P0          | P1          ;      the thread header, then rows of assembly, one cell per thread
//    MOV W0,#1   | LDR W0,[X1] ;
//   locations [x; 1:X3;]              optional: more things to observe
//   exists (1:X0=1 /\ 1:X2=0)         the final condition: exists, ~exists or forall over a
//                                     proposition with /\, \/, ~, =>, parentheses, true, false
//
// OCaml-style comments (* ... *) may appear anywhere. Errors are LitmusSyntaxError with the 1-based
// line and column of the offending text.

export class LitmusSyntaxError extends Error {
  constructor(readonly line: number, readonly col: number, message: string) {
    super(message);
  }
}

/** Where something is in the source (1-based). */
export interface Pos { line: number; col: number }

/** A location's size in bytes, from its declared type (herd's default, `int`, is 4). */
export type Size = 1 | 2 | 4 | 8;

/** A value: a number or a location's address. */
export type Value = { kind: 'int'; value: bigint } | { kind: 'loc'; name: string; pos: Pos };

export interface RegInit { thread: number; reg: number; value: Value; pos: Pos }
export interface Location { name: string; size: Size; init: Value | null; pos: Pos }

/** Something observed at the end of a run: a register of a thread or a memory location. */
export type Target =
  | { kind: 'reg'; thread: number; reg: number; wide: boolean; text: string; pos: Pos }
  | { kind: 'mem'; name: string; text: string; pos: Pos };

export type Prop =
  | { kind: 'true' } | { kind: 'false' }
  | { kind: 'eq'; target: Target; value: Value }
  | { kind: 'not'; p: Prop }
  | { kind: 'and' | 'or' | 'implies'; a: Prop; b: Prop };

export type Quantifier = 'exists' | '~exists' | 'forall';

export interface ThreadCode {
  /** Source lines of assembly (trimmed, empty cells dropped) with where each starts. */
  lines: { text: string; pos: Pos }[];
  pos: Pos;
}

export interface LitmusTest {
  arch: string;
  name: string;
  /** Quoted lines before the init block. */
  comments: string[];
  /** Key=Value lines before the init block. */
  info: Map<string, string>;
  regs: RegInit[];
  /** Every location, in order of first mention (init block, code-free: condition and locations). */
  locations: Location[];
  threads: ThreadCode[];
  /** Extra things to observe (the `locations [...]` line). */
  observed: Target[];
  quantifier: Quantifier;
  prop: Prop;
  /** The condition as written (whitespace normalized), for the `Condition` line. */
  conditionText: string;
}

const TYPE_SIZES: Record<string, Size> = {
  int: 4, int32_t: 4, uint32_t: 4, 'unsigned': 4,
  int64_t: 8, uint64_t: 8, long: 8, intptr_t: 8, uintptr_t: 8,
  int16_t: 2, uint16_t: 2, short: 2,
  int8_t: 1, uint8_t: 1, char: 1,
};

const IDENT = /^[A-Za-z_][A-Za-z0-9_.]*/;
const REG = /^([XxWw])([0-9]{1,2})$/;

/** Replace (* ... *) comments (nested, as OCaml's) with spaces, keeping line breaks and columns. */
function stripComments(src: string): string {
  let out = '', depth = 0, openLine = 0, openCol = 0, line = 1, col = 1;
  for (let k = 0; k < src.length; k++) {
    const ch = src[k];
    if (src.startsWith('(*', k)) {
      if (depth === 0) { openLine = line; openCol = col; }
      depth++; out += '  '; k++; col += 2; continue;
    }
    if (depth > 0 && src.startsWith('*)', k)) { depth--; out += '  '; k++; col += 2; continue; }
    if (ch === '\n') { out += '\n'; line++; col = 1; continue; }
    out += depth > 0 ? (ch === '\t' ? '\t' : ' ') : ch;
    col++;
  }
  if (depth > 0) throw new LitmusSyntaxError(openLine, openCol, 'unterminated comment "(*"');
  return out;
}

/** A cursor over the text from some point on, tracking line and column. */
class Scanner {
  k = 0; line = 1; col = 1;
  constructor(readonly s: string) {}
  get pos(): Pos { return { line: this.line, col: this.col }; }
  eof(): boolean { return this.k >= this.s.length; }
  peek(n = 0): string { return this.s[this.k + n] ?? ''; }
  advance(n = 1): void {
    for (let j = 0; j < n && this.k < this.s.length; j++, this.k++) {
      if (this.s[this.k] === '\n') { this.line++; this.col = 1; } else this.col++;
    }
  }
  skipSpace(): void { while (!this.eof() && /\s/.test(this.peek())) this.advance(); }
  /** Skip spaces but not line breaks. */
  skipBlanks(): void { while (!this.eof() && (this.peek() === ' ' || this.peek() === '\t' || this.peek() === '\r')) this.advance(); }
  startsWith(t: string): boolean { return this.s.startsWith(t, this.k); }
  rest(): string { return this.s.slice(this.k); }
  restOfLine(): string { const e = this.s.indexOf('\n', this.k); return this.s.slice(this.k, e < 0 ? undefined : e); }
  error(message: string, at: Pos = this.pos): never { throw new LitmusSyntaxError(at.line, at.col, message); }
  /** A word (identifier, number, register): letters, digits, _ . : and a leading - or +. */
  word(): string {
    const m = /^[-+]?[A-Za-z0-9_.:]+/.exec(this.rest());
    if (m === null) return '';
    this.advance(m[0].length);
    return m[0];
  }
  expect(t: string, what = `"${t}"`): void {
    this.skipSpace();
    if (!this.startsWith(t)) this.error(`expected ${what}${this.eof() ? ' but the file ends' : `, found ${show(this.restOfLine())}`}`);
    this.advance(t.length);
  }
}

function show(s: string): string {
  const t = s.trim();
  return t === '' ? 'the end of the line' : `"${t.length > 20 ? `${t.slice(0, 20)}...` : t}"`;
}

function parseInt64(text: string): bigint | null {
  if (!/^[-+]?(0x[0-9a-fA-F]+|[0-9]+)$/.test(text)) return null;
  const neg = text.startsWith('-');
  const v = BigInt(text.replace(/^[-+]/, ''));
  if (v >= 1n << 64n) return null;
  return neg ? -v : v;
}

export function parseLitmus(source: string): LitmusTest {
  const s: Scanner = new Scanner(stripComments(source.replace(/^\uFEFF/, '')));
  s.skipSpace();
  if (s.eof()) s.error('empty file: expected "AArch64 NAME"');
  // Name line.
  const archPos = s.pos;
  const arch = s.word();
  if (arch === '') s.error(`expected "AArch64 NAME", found ${show(s.restOfLine())}`);
  if (arch !== 'AArch64' && arch !== 'ARM64') s.error(`unsupported architecture "${arch}": this runner takes AArch64 tests`, archPos);
  s.skipBlanks();
  const name = s.restOfLine().trim();
  if (name === '') s.error('expected the test\'s name after "AArch64"');
  if (/\s/.test(name)) s.error(`a test name is one word, found "${name}"`);
  s.advance(s.restOfLine().length);

  // Comment and metadata lines up to the init block.
  const comments: string[] = [];
  const info = new Map<string, string>();
  for (;;) {
    s.skipSpace();
    if (s.eof()) s.error('expected the init block "{ ... }" but the file ends');
    if (s.peek() === '{') break;
    if (s.peek() === '"') {
      const start = s.pos;
      const text = s.restOfLine();
      const end = text.indexOf('"', 1);
      if (end < 0) s.error('unterminated string: a quoted line needs its closing \'"\'', start);
      comments.push(text.slice(1, end));
      s.advance(end + 1);
      s.skipBlanks();
      if (s.peek() !== '\n' && !s.eof()) s.error(`unexpected ${show(s.restOfLine())} after the quoted line`);
      continue;
    }
    const line = s.restOfLine();
    const m = /^([A-Za-z][A-Za-z0-9_-]*)\s*=(.*)$/.exec(line);
    if (m === null) s.error(`expected the init block "{", a quoted comment or a Key=Value line, found ${show(line)}`);
    info.set(m[1], m[2].trim());
    s.advance(line.length);
  }

  // Init block.
  const locations: Location[] = [];
  const locByName = new Map<string, Location>();
  const mention = (name: string, pos: Pos): Location => {
    let l = locByName.get(name);
    if (l === undefined) { l = { name, size: 4, init: null, pos }; locations.push(l); locByName.set(name, l); }
    return l;
  };
  const regs: RegInit[] = [];
  s.expect('{');
  for (;;) {
    s.skipSpace();
    if (s.eof()) s.error('unterminated init block: expected "}"');
    if (s.peek() === '}') { s.advance(); break; }
    if (s.peek() === ';') { s.advance(); continue; }
    const entryPos = s.pos;
    let w = s.word();
    if (w === '') s.error(`expected a register, a location or a type in the init block, found ${show(s.restOfLine())}`);
    let size: Size | undefined;
    if (TYPE_SIZES[w] !== undefined) {
      size = TYPE_SIZES[w];
      s.skipBlanks();
      if (s.peek() === '*') { size = 8; s.advance(); s.skipBlanks(); } // a pointer
      const at = s.pos;
      w = s.word();
      if (w === '') s.error('expected a location or register after the type', at);
    }
    const target = classify(w, entryPos, s);
    s.skipBlanks();
    let value: Value | null = null;
    if (s.peek() === '=') {
      s.advance(); s.skipBlanks();
      value = parseValue(s, 'a value or a location');
      if (value.kind === 'loc') mention(value.name, value.pos);
    }
    s.skipBlanks();
    if (s.peek() !== ';' && s.peek() !== '}' && s.peek() !== '\n') s.error(`expected ";" between init entries, found ${show(s.restOfLine())}`);
    if (target.kind === 'reg') {
      if (value === null) continue; // a typed register declaration
      if (regs.some((r) => r.thread === target.thread && r.reg === target.reg)) s.error(`${target.text} is set twice`, entryPos);
      regs.push({ thread: target.thread, reg: target.reg, value, pos: entryPos });
    } else {
      const l = mention(target.name, entryPos);
      if (size !== undefined) l.size = size;
      if (value !== null) {
        if (l.init !== null) s.error(`${target.name} is initialized twice`, entryPos);
        l.init = value;
      }
    }
  }

  // Thread header: P0 | P1 | ... ;
  s.skipSpace();
  const headerPos = s.pos;
  const headerLine = s.restOfLine();
  const headerCells = splitRow(headerLine, headerPos, 'the thread header');
  const n = headerCells.length;
  headerCells.forEach((c, k) => {
    if (c.text !== `P${k}`) s.error(`expected "P${k}" in the thread header, found ${show(c.text)}`, c.pos);
  });
  s.advance(headerLine.length);
  const threads: ThreadCode[] = headerCells.map((c) => ({ lines: [], pos: c.pos }));

  // Rows of code, up to the condition.
  for (;;) {
    s.skipSpace();
    if (s.eof()) s.error('expected a final condition (exists, ~exists or forall) but the file ends');
    const rowPos = s.pos;
    const row = s.restOfLine();
    if (/^(exists|~\s*exists|forall|locations|filter)\b/.test(row) || row.startsWith('~')) break;
    const cells = splitRow(row, rowPos, 'a row of code');
    if (cells.length !== n) s.error(`a row has ${cells.length} column${cells.length === 1 ? '' : 's'} but there are ${n} threads`, rowPos);
    cells.forEach((c, k) => { if (c.text !== '') threads[k].lines.push({ text: c.text, pos: c.pos }); });
    s.advance(row.length);
  }

  // locations [...] and the condition.
  const observed: Target[] = [];
  let quantifier: Quantifier | undefined;
  let prop: Prop | undefined;
  let conditionText = '';
  while (quantifier === undefined) {
    s.skipSpace();
    const at = s.pos;
    if (s.startsWith('locations')) {
      s.advance('locations'.length);
      s.expect('[');
      for (;;) {
        s.skipSpace();
        if (s.peek() === ']') { s.advance(); break; }
        if (s.peek() === ';') { s.advance(); continue; }
        if (s.eof()) s.error('unterminated "locations [": expected "]"');
        const t = parseTarget(s);
        if (t.kind === 'mem') mention(t.name, t.pos);
        observed.push(t);
      }
      continue;
    }
    if (s.startsWith('filter')) s.error('"filter" conditions are not supported', at);
    let q: Quantifier;
    if (s.startsWith('exists')) { q = 'exists'; s.advance(6); }
    else if (s.startsWith('forall')) { q = 'forall'; s.advance(6); }
    else if (/^~\s*exists/.test(s.rest())) { q = '~exists'; s.advance(/^~\s*exists/.exec(s.rest())![0].length); }
    else s.error(`expected a final condition (exists, ~exists or forall), found ${show(s.restOfLine())}`);
    if (/^[A-Za-z0-9_]/.test(s.peek())) s.error(`expected a final condition (exists, ~exists or forall), found ${show(s.restOfLine())}`, at);
    const start = s.k;
    const p = new PropParser(s, (name, pos) => mention(name, pos)).prop();
    s.skipSpace();
    if (s.peek() === ';') { s.advance(); s.skipSpace(); }
    if (!s.eof()) s.error(`unexpected ${show(s.restOfLine())} after the final condition`);
    conditionText = `${q} ${s.s.slice(start, s.k).replace(/;\s*$/, '').replace(/\s+/g, ' ').trim()}`;
    quantifier = q; prop = p;
  }
  return { arch: 'AArch64', name, comments, info, regs, locations, threads, observed, quantifier, prop: prop!, conditionText };

  function classify(w: string, pos: Pos, sc: Scanner): { kind: 'reg'; thread: number; reg: number; text: string } | { kind: 'mem'; name: string } {
    const m = /^([0-9]+):(.*)$/.exec(w);
    if (m !== null) {
      const r = REG.exec(m[2]);
      if (r === null || Number(r[2]) > 30) sc.error(`"${m[2]}" is not a general-purpose register (X0..X30, W0..W30)`, { line: pos.line, col: pos.col + m[1].length + 1 });
      return { kind: 'reg', thread: Number(m[1]), reg: Number(r[2]), text: w };
    }
    if (!IDENT.test(w) || IDENT.exec(w)![0] !== w) sc.error(`"${w}" is not a location name or a register (as 0:X1)`, pos);
    return { kind: 'mem', name: w };
  }
}

/** Split `a | b | c ;` into trimmed cells with their positions; the row must end with ";". */
function splitRow(line: string, pos: Pos, what: string): { text: string; pos: Pos }[] {
  const semi = line.lastIndexOf(';');
  if (semi < 0 || line.slice(semi + 1).trim() !== '') {
    throw new LitmusSyntaxError(pos.line, pos.col + line.trimEnd().length, `${what} must end with ";"`);
  }
  const cells: { text: string; pos: Pos }[] = [];
  let start = 0;
  const body = line.slice(0, semi);
  for (let k = 0; k <= body.length; k++) {
    if (k === body.length || body[k] === '|') {
      const raw = body.slice(start, k);
      const lead = raw.length - raw.trimStart().length;
      const text = raw.trim();
      if (text.includes(';')) {
        throw new LitmusSyntaxError(pos.line, pos.col + start + lead + text.indexOf(';'), `unexpected ";" inside ${what} (cells are separated by "|")`);
      }
      cells.push({ text, pos: { line: pos.line, col: pos.col + start + lead } });
      start = k + 1;
    }
  }
  return cells;
}

function parseValue(s: Scanner, what: string): Value {
  const at = s.pos;
  const w = s.word();
  if (w === '') s.error(`expected ${what}, found ${show(s.restOfLine())}`);
  const v = parseInt64(w);
  if (v !== null) return { kind: 'int', value: v };
  if (/^[-+]?[0-9]/.test(w)) s.error(`"${w}" is not a 64-bit integer`, at);
  if (!IDENT.test(w) || IDENT.exec(w)![0] !== w) s.error(`expected ${what}, found "${w}"`, at);
  return { kind: 'loc', name: w, pos: at };
}

/** `1:X0`, `0:W2`, `x`, `[x]`. */
function parseTarget(s: Scanner): Target {
  s.skipSpace();
  const at = s.pos;
  if (s.peek() === '[') {
    s.advance(); s.skipBlanks();
    const np = s.pos;
    const w = s.word();
    if (w === '' || !IDENT.test(w) || IDENT.exec(w)![0] !== w) s.error('expected a location name inside "[...]"', np);
    s.skipBlanks();
    if (s.peek() !== ']') s.error('expected "]"');
    s.advance();
    return { kind: 'mem', name: w, text: w, pos: np };
  }
  const w = s.word();
  if (w === '') s.error(`expected a register (as 1:X0) or a location, found ${show(s.restOfLine())}`);
  const m = /^([0-9]+):(.*)$/.exec(w);
  if (m !== null) {
    const r = REG.exec(m[2]);
    if (r === null || Number(r[2]) > 30) s.error(`"${m[2]}" is not a general-purpose register (X0..X30, W0..W30)`, { line: at.line, col: at.col + m[1].length + 1 });
    return { kind: 'reg', thread: Number(m[1]), reg: Number(r[2]), wide: r[1] === 'X' || r[1] === 'x', text: `${m[1]}:${r[1].toUpperCase()}${Number(r[2])}`, pos: at };
  }
  if (!IDENT.test(w) || IDENT.exec(w)![0] !== w) s.error(`expected a register (as 1:X0) or a location, found "${w}"`, at);
  return { kind: 'mem', name: w, text: w, pos: at };
}

/** prop := disj ('=>' prop)?; disj := conj ('\/' conj)*; conj := unary ('/\' unary)*. */
class PropParser {
  constructor(private readonly s: Scanner, private readonly mention: (name: string, pos: Pos) => void) {}

  prop(): Prop {
    const a = this.disj();
    this.s.skipSpace();
    if (this.s.startsWith('=>')) { this.s.advance(2); return { kind: 'implies', a, b: this.prop() }; }
    return a;
  }

  private disj(): Prop {
    let a = this.conj();
    for (;;) {
      this.s.skipSpace();
      if (!this.s.startsWith('\\/')) return a;
      this.s.advance(2);
      a = { kind: 'or', a, b: this.conj() };
    }
  }

  private conj(): Prop {
    let a = this.unary();
    for (;;) {
      this.s.skipSpace();
      if (!this.s.startsWith('/\\')) return a;
      this.s.advance(2);
      a = { kind: 'and', a, b: this.unary() };
    }
  }

  private unary(): Prop {
    const s = this.s;
    s.skipSpace();
    if (s.eof()) s.error('the condition ends too early: expected an equation such as 1:X0=1');
    if (s.peek() === '~') { s.advance(); return { kind: 'not', p: this.unary() }; }
    if (/^not\b/.test(s.rest())) { s.advance(3); return { kind: 'not', p: this.unary() }; }
    if (s.peek() === '(') {
      const open = s.pos;
      s.advance();
      const p = this.prop();
      s.skipSpace();
      if (s.peek() !== ')') s.error(s.eof() ? `unclosed "(" (opened at ${open.line}:${open.col})` : `expected ")", found ${show(s.restOfLine())}`);
      s.advance();
      return p;
    }
    if (/^true\b/.test(s.rest())) { s.advance(4); return { kind: 'true' }; }
    if (/^false\b/.test(s.rest())) { s.advance(5); return { kind: 'false' }; }
    const target = parseTarget(s);
    if (target.kind === 'mem') this.mention(target.name, target.pos);
    s.skipBlanks();
    if (s.peek() !== '=') s.error(`expected "=" after ${target.text}, found ${show(s.restOfLine())}`);
    s.advance(); s.skipBlanks();
    const value = parseValue(s, 'a value or a location');
    if (value.kind === 'loc') this.mention(value.name, value.pos);
    return { kind: 'eq', target, value };
  }
}

/** The targets a proposition mentions, in order, without repeats (by text). */
export function propTargets(p: Prop, out: Target[] = []): Target[] {
  switch (p.kind) {
    case 'eq': if (!out.some((t) => t.text === p.target.text)) out.push(p.target); break;
    case 'not': propTargets(p.p, out); break;
    case 'and': case 'or': case 'implies': propTargets(p.a, out); propTargets(p.b, out); break;
    default: break;
  }
  return out;
}
