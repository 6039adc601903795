// Machine state other than RAM, captured generically: a walk of the object graph from the Machine that
// copies every object's own data fields, so that fields added later (debug, PMU, ITS, EL2 registers,
// the memory model...) are covered without edits here. Each object is visited once and restored IN
// PLACE: a field that pointed to object X at capture time points to X again, and X gets its captured
// contents back, so references shared between parts of the machine stay shared.
//
// What is copied: numbers, booleans, strings, bigints, null/undefined as values; ArrayBuffers by value
// (a typed array or DataView by its buffer, so views sharing one buffer are copied once); arrays, Maps,
// Sets, plain objects and class instances recursively; Dates by value. What is not: functions (a field
// holding a function is neither captured nor overwritten: callbacks belong to the host), frozen objects
// (constants), EventEmitters and Promises (host I/O), objects marked with markNotState() (RAM, the code
// cache, the decoder, the tracer, the translator: not state, or state kept elsewhere), and the fields
// listed in notStateFields() (observers such as Cpu.hooks and Cpu.slow, which belong to whoever
// installed them, not to the guest). refOnlyFields() are restored as references without walking the
// object they point to (Cpu.curPage: a page of the code cache).

import { EventEmitter } from 'node:events';

const notStateObjects = new WeakSet<object>();
const notStateKeys = new Map<object, Set<string>>(); // constructor.prototype -> field names
const refOnlyKeys = new Map<object, Set<string>>();

const viewStates = new WeakSet<ArrayBufferView>();

/** Capture and restore this view's own bytes (a view into a buffer that is not state as a whole: the
 * core's registers in the WebAssembly memory that also holds RAM). */
export function markViewState(v: ArrayBufferView): void { viewStates.add(v); }

/** Never capture or restore this object's contents (a reference to it is still restored). */
export function markNotState(o: object): void { notStateObjects.add(o); }
export function isNotState(o: object): boolean { return notStateObjects.has(o); }

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Ctor = abstract new (...args: any[]) => object;

/** Fields of instances of `cls` (and subclasses) that are not machine state: never captured, never
 * written back. */
export function notStateFields(cls: Ctor, ...keys: string[]): void { addKeys(notStateKeys, cls, keys); }

/** Fields of instances of `cls` that hold references to non-state objects: the reference is captured
 * and restored, the object behind it is not walked. */
export function refOnlyFields(cls: Ctor, ...keys: string[]): void { addKeys(refOnlyKeys, cls, keys); }

function addKeys(m: Map<object, Set<string>>, cls: Ctor, keys: string[]): void {
  let s = m.get(cls.prototype);
  if (s === undefined) m.set(cls.prototype, s = new Set());
  for (const k of keys) s.add(k);
}

/** Field names excluded for objects with this prototype chain (cached per prototype). */
function keysFor(m: Map<object, Set<string>>, cache: Map<object, Set<string> | null>, proto: object | null): Set<string> | null {
  if (proto === null) return null;
  const hit = cache.get(proto);
  if (hit !== undefined) return hit;
  let acc: Set<string> | null = null;
  for (let p: object | null = proto; p !== null; p = Object.getPrototypeOf(p) as object | null) {
    const s = m.get(p);
    if (s !== undefined) { acc ??= new Set(); for (const k of s) acc.add(k); }
  }
  cache.set(proto, acc);
  return acc;
}

const enum Kind { Obj, Arr, Map, Set, Buf, Date, View }

type Rec =
  | { k: Kind.Obj; o: Record<string, unknown>; keys: string[]; vals: unknown[]; plain: boolean }
  | { k: Kind.Arr; o: unknown[]; vals: unknown[] }
  | { k: Kind.Map; o: Map<unknown, unknown>; keys: unknown[]; vals: unknown[] }
  | { k: Kind.Set; o: Set<unknown>; vals: unknown[] }
  | { k: Kind.Buf; o: ArrayBuffer; copy: Uint8Array }
  | { k: Kind.View; o: ArrayBufferView; copy: Uint8Array }
  | { k: Kind.Date; o: Date; t: number };

/** Copies of large buffers from the previous capture, reused while the contents are unchanged, so that
 * snapshots of a machine with big, rarely written buffers (disk overlays, ROM images) share them. */
const SHARE_MIN = 4096;

export class StateCapture {
  readonly recs: Rec[];
  /** Bytes this capture holds (buffer copies, and an estimate for the values). */
  readonly bytes: number;

  private constructor(recs: Rec[], bytes: number) { this.recs = recs; this.bytes = bytes; }

  /** Walk from root. `prev` lends its large buffer copies when unchanged. */
  static take(root: object, prev: StateCapture | null): StateCapture {
    const seen = new Set<object>();
    const recs: Rec[] = [];
    let bytes = 0;
    const notCache = new Map<object, Set<string> | null>(), refCache = new Map<object, Set<string> | null>();
    const prevBufs = new Map<ArrayBuffer, Uint8Array>();
    if (prev !== null) for (const r of prev.recs) if (r.k === Kind.Buf && r.copy.length >= SHARE_MIN) prevBufs.set(r.o, r.copy);
    const stack: object[] = [root];
    const visit = (v: unknown): void => {
      if (typeof v === 'object' && v !== null && !seen.has(v)) stack.push(v);
    };
    while (stack.length > 0) {
      const o = stack.pop()!;
      if (seen.has(o)) continue;
      seen.add(o);
      if (notStateObjects.has(o)) continue;
      if (ArrayBuffer.isView(o)) {
        if (viewStates.has(o)) {
          const copy = new Uint8Array(o.buffer, o.byteOffset, o.byteLength).slice();
          recs.push({ k: Kind.View, o, copy });
          bytes += copy.length;
        } else visit(o.buffer);
        continue;
      }
      if (o instanceof ArrayBuffer) {
        const src = new Uint8Array(o);
        const old = prevBufs.get(o);
        let copy: Uint8Array;
        if (old !== undefined && Buffer.from(old.buffer, old.byteOffset, old.length).equals(Buffer.from(o))) copy = old;
        else { copy = src.slice(); bytes += copy.length; }
        recs.push({ k: Kind.Buf, o, copy });
        continue;
      }
      if (typeof SharedArrayBuffer !== 'undefined' && o instanceof SharedArrayBuffer) continue;
      if (o instanceof Date) { recs.push({ k: Kind.Date, o, t: o.getTime() }); continue; }
      if (Object.isFrozen(o) || o instanceof EventEmitter || o instanceof Promise || o instanceof WeakMap || o instanceof WeakSet) continue;
      if (Array.isArray(o)) {
        const vals = o.slice();
        for (const v of vals) visit(v);
        recs.push({ k: Kind.Arr, o, vals });
        bytes += 8 * vals.length + 32;
        continue;
      }
      if (o instanceof Map) {
        const keys: unknown[] = [], vals: unknown[] = [];
        for (const [key, v] of o) { keys.push(key); vals.push(v); visit(key); visit(v); }
        recs.push({ k: Kind.Map, o, keys, vals });
        bytes += 16 * keys.length + 32;
        continue;
      }
      if (o instanceof Set) {
        const vals = [...o];
        for (const v of vals) visit(v);
        recs.push({ k: Kind.Set, o, vals });
        bytes += 8 * vals.length + 32;
        continue;
      }
      const proto = Object.getPrototypeOf(o) as object | null;
      const skip = keysFor(notStateKeys, notCache, proto), refOnly = keysFor(refOnlyKeys, refCache, proto);
      const rec = o as Record<string, unknown>;
      const keys: string[] = [], vals: unknown[] = [];
      for (const key of Object.keys(rec)) {
        if (skip !== null && skip.has(key)) continue;
        const v = rec[key];
        if (typeof v === 'function' || typeof v === 'symbol') continue;
        keys.push(key); vals.push(v);
        if (refOnly === null || !refOnly.has(key)) visit(v);
      }
      recs.push({ k: Kind.Obj, o: rec, keys, vals, plain: proto === Object.prototype || proto === null });
      bytes += 8 * keys.length + 32;
    }
    return new StateCapture(recs, bytes);
  }

  /** Write every captured value back into the same objects. */
  restore(): void {
    for (const r of this.recs) {
      switch (r.k) {
        case Kind.Buf: new Uint8Array(r.o).set(r.copy); break;
        case Kind.View: new Uint8Array(r.o.buffer, r.o.byteOffset, r.o.byteLength).set(r.copy); break;
        case Kind.Date: r.o.setTime(r.t); break;
        case Kind.Arr: {
          const a = r.o, v = r.vals;
          a.length = v.length;
          for (let k = 0; k < v.length; k++) a[k] = v[k];
          break;
        }
        case Kind.Map: r.o.clear(); for (let k = 0; k < r.keys.length; k++) r.o.set(r.keys[k], r.vals[k]); break;
        case Kind.Set: r.o.clear(); for (const v of r.vals) r.o.add(v); break;
        case Kind.Obj: {
          const o = r.o;
          if (r.plain) { // a dictionary: keys added since go (functions stay, as callbacks)
            const have = new Set(r.keys);
            for (const key of Object.keys(o)) if (!have.has(key) && typeof o[key] !== 'function') delete o[key];
          }
          for (let k = 0; k < r.keys.length; k++) {
            const key = r.keys[k];
            if (typeof o[key] === 'function') continue; // a callback installed since: the host's
            o[key] = r.vals[k];
          }
          break;
        }
      }
    }
  }
}
