// The package ships type declarations: in a user's project, `import { Guest } from 'a64emu'` type-checks
// (strict, no skipLibCheck) against the built package, found through node_modules/a64emu as npm would
// install it, and a wrong call is a type error (so the check can fail).

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const DTS = join(ROOT, 'dist/emu/api/index.d.ts');

function newestSource(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestSource(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

let dir: string;
beforeAll(async () => {
  // Async: a test worker blocked for long misses its RPC deadline (vitest reports an error).
  if (!existsSync(DTS) || statSync(DTS).mtimeMs < newestSource(join(ROOT, 'emu'))) {
    try { await promisify(execFile)(process.execPath, [TSC, '-p', ROOT]); } catch { /* checked below */ }
  }
  dir = mkdtempSync(join(tmpdir(), 'a64emu-types-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'a64emu'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      // No @types/node: the declarations must not need it (and the check stays quick).
      strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022'], noEmit: true, types: [],
    },
    files: ['user.ts', 'misuse.ts'],
  }));
}, 300_000);
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

/** tsc's exit status and output for the project (async: a blocked test worker misses its RPC deadline). */
async function tsc(): Promise<{ status: number; out: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, [TSC, '-p', dir], { encoding: 'utf8' });
    return { status: 0, out: r.stdout };
  } catch (e) {
    const x = e as { code: number; stdout: string };
    return { status: x.code, out: x.stdout };
  }
}

describe('type declarations for package users', () => {
  it('package.json names them, and the build made them', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { types: string; exports: { '.': { types: string } } };
    expect(existsSync(join(ROOT, pkg.types))).toBe(true);
    expect(pkg.exports['.'].types).toBe(`./${pkg.types}`);
  });

  it("import { Guest } from 'a64emu' type-checks, and misuse does not", async () => {
    writeFileSync(join(dir, 'user.ts'), [
      "import { Guest, builtinImage, DEFAULT_BUDGET } from 'a64emu';",
      "import type { CoreState, GuestOptions, RunOutcome, MachineOptions } from 'a64emu';",
      "const opts: GuestOptions = { smp: 2, seed: 0xffff_ffff_ffff_ffffn };",
      "const g: Guest = Guest.load(builtinImage('smp-idle'), opts);",
      'const s: CoreState = g.coreState(0);',
      'const o: RunOutcome = g.runUntil(() => s.sleep === \'wfi\', DEFAULT_BUDGET);',
      'const m: MachineOptions = { quantum: 100 };',
      'export { o, m };',
    ].join('\n'));
    // The same declarations reject a wrong call: the check can fail.
    writeFileSync(join(dir, 'misuse.ts'), "import { Guest } from 'a64emu';\nGuest.load(42);\n");
    const r = await tsc();
    expect(r.status).not.toBe(0);
    const errors = r.out.split('\n').filter((l) => /error TS/.test(l));
    expect(errors, r.out).toHaveLength(1);
    expect(errors[0]).toMatch(/misuse\.ts\(2,12\): error TS2345/);
  }, 180_000);
});
