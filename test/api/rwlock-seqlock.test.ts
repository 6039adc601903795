// rw_spinlock and seqlock scenarios.

import { describe, expect, test } from 'vitest';
import { bootIdle, RW, RW_WRITER_BIT, SEQ } from './kernel.js';

describe('rw_spinlock through the API', () => {
  test('two readers hold it at once; a writer sleeps until both have released', () => {
    const g = bootIdle();
    const rw = g.addr('g_test_rw_lock');
    g.callAndWait(1, 'acquire_read_spinlock', [rw]);
    g.callAndWait(2, 'acquire_read_spinlock', [rw]);
    expect(g.readU32(rw, RW.lock)).toBe(2); // two readers, no writer

    const writer = g.call(3, 'acquire_write_spinlock', [rw]);
    expect(g.runUntil(() => g.coreState(3).sleep === 'wfe', 1_000_000).reason).toBe('predicate');
    expect(g.coreState(3).func).toBe('acquire_write_spinlock');
    g.runFor(100_000);
    expect(writer.done).toBe(false);
    expect(g.readU32(rw, RW.lock)).toBe(2); // a failed write attempt leaves the word alone

    g.callAndWait(1, 'release_read_spinlock', [rw]);
    g.runFor(100_000);
    expect(writer.done).toBe(false); // one reader is still in
    expect(g.readU32(rw, RW.lock)).toBe(1);

    g.callAndWait(2, 'release_read_spinlock', [rw]);
    g.finish(writer, 1_000_000);
    expect(g.readU32(rw, RW.lock)).toBe(RW_WRITER_BIT);
    expect(g.readU32(rw, RW.writer)).toBe(4);

    // No reader gets in while the writer holds it.
    const r = g.call(0, 'try_acquire_read_spinlock', [rw]);
    g.finish(r);
    expect(r.bool).toBe(false);
  });

  test('stray reader counts left by failed readers are wiped by the writer\'s release', () => {
    const g = bootIdle();
    const rw = g.addr('g_test_rw_lock');
    expect(g.callAndWait(3, 'try_acquire_write_spinlock', [rw]) & 0xffn).toBe(1n);
    expect(g.readU32(rw, RW.lock)).toBe(RW_WRITER_BIT);

    const tr = g.call(1, 'try_acquire_read_spinlock', [rw]);
    g.finish(tr);
    expect(tr.bool).toBe(false);
    expect(g.readU32(rw, RW.lock)).toBe(RW_WRITER_BIT + 1); // the failed reader's increment stays

    const reader = g.call(2, 'acquire_read_spinlock', [rw]); // blocks, adding its own stray count
    expect(g.runUntil(() => g.coreState(2).sleep === 'wfe', 1_000_000).reason).toBe('predicate');
    expect(g.coreState(2).func).toBe('acquire_read_spinlock');
    expect(g.readU32(rw, RW.lock)).toBe(RW_WRITER_BIT + 2);
    // A second writer cannot get in either.
    expect(g.callAndWait(0, 'try_acquire_write_spinlock', [rw]) & 0xffn).toBe(0n);

    g.callAndWait(3, 'release_write_spinlock', [rw]);
    g.finish(reader, 1_000_000);
    // The release stored 0, wiping both strays; then the waiting reader got in: exactly one reader.
    expect(g.readU32(rw, RW.lock)).toBe(1);
    expect(g.readU32(rw, RW.writer)).toBe(0);
    g.callAndWait(2, 'release_read_spinlock', [rw]);
    expect(g.readU32(rw, RW.lock)).toBe(0);
    // A completely free word again: a writer gets it at once.
    expect(g.callAndWait(1, 'try_acquire_write_spinlock', [rw]) & 0xffn).toBe(1n);
    expect(g.readU32(rw, RW.writer)).toBe(2);
  });
});

describe('seqlock through the API', () => {
  test('a read that overlaps a write fails release_read_seqlock; one after it succeeds', () => {
    const g = bootIdle();
    const seq = g.addr('g_test_seqlock');
    const read = (core: number) => g.callAndWait(core, 'acquire_read_seqlock', [seq]);
    const check = (core: number, count: bigint) => (g.callAndWait(core, 'release_read_seqlock', [seq, count]) & 0xffn) === 1n;

    const before = read(1);
    expect(before).toBe(0n);
    expect(check(1, before)).toBe(true); // nothing happened in between

    g.callAndWait(2, 'acquire_write_seqlock', [seq]);
    expect(g.readU32(seq, SEQ.count)).toBe(1); // odd: write in progress
    expect(g.readU32(seq, SEQ.holder)).toBe(3);
    const during = read(3);
    expect(during).toBe(1n);
    expect(check(3, during)).toBe(false); // started during the write
    expect(check(1, before)).toBe(false); // the write is in progress
    expect(g.callAndWait(0, 'try_acquire_write_seqlock', [seq]) & 0xffn).toBe(0n); // writers exclude each other

    // A second writer waits for the first.
    const w2 = g.call(0, 'acquire_write_seqlock', [seq]);
    expect(g.runUntil(() => g.coreState(0).sleep === 'wfe', 1_000_000).reason).toBe('predicate');
    g.callAndWait(2, 'release_write_seqlock', [seq]);
    g.finish(w2, 1_000_000);
    expect(g.readU32(seq, SEQ.count)).toBe(3);
    expect(g.readU32(seq, SEQ.holder)).toBe(1);
    g.callAndWait(0, 'release_write_seqlock', [seq]);
    expect(g.readU32(seq, SEQ.count)).toBe(4);
    expect(g.readU32(seq, SEQ.lock)).toBe(0);

    expect(check(1, before)).toBe(false); // writes happened since
    const after = read(1);
    expect(after).toBe(4n);
    expect(check(1, after)).toBe(true);
  });
});
