// Shared check for test suites that need external tools (QEMU, cross compilers). Without the tools a
// suite is skipped with a visible notice, unless REQUIRE_ORACLES=1 (CI), where it fails and says
// what is missing.

import { spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';

const cache = new Map<string, boolean>();

/** True when `name --version` runs and exits with status 0. */
export function hasTool(name: string): boolean {
  let ok = cache.get(name);
  if (ok === undefined) {
    const r = spawnSync(name, ['--version'], { stdio: 'ignore' });
    ok = r.error === undefined && r.status === 0;
    cache.set(name, ok);
  }
  return ok;
}

export function missingTools(tools: readonly string[]): string[] {
  return tools.filter((t) => !hasTool(t));
}

export const oraclesRequired = (): boolean => process.env.REQUIRE_ORACLES === '1';

export interface ToolCheck {
  /** Every tool is present: run the suite. */
  run: boolean;
  missing: string[];
  /** Human-readable reason when not running. */
  reason: string;
}

/** Decide whether a suite needing `tools` runs. Warns (console.warn) when it will be skipped. */
export function requireOrSkip(tools: readonly string[]): ToolCheck {
  const missing = missingTools(tools);
  if (missing.length === 0) return { run: true, missing, reason: '' };
  const reason = `missing ${missing.join(', ')}`;
  if (!oraclesRequired()) console.warn(`[oracle] skipping: ${reason} (set REQUIRE_ORACLES=1 to make this a failure)`);
  return { run: false, missing, reason };
}

/** describe() that needs external tools: runs when they exist; otherwise a skipped suite whose name
 * carries the reason, or with REQUIRE_ORACLES=1 a failing test naming the missing tools. */
export function describeWithTools(name: string, tools: readonly string[], body: () => void): void {
  const chk = requireOrSkip(tools);
  if (chk.run) {
    describe(name, body);
  } else if (oraclesRequired()) {
    describe(name, () => {
      it(`requires ${tools.join(', ')}`, () => {
        throw new Error(`REQUIRE_ORACLES=1 but ${chk.reason}: install them (Debian: qemu-user qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross gdb-multiarch)`);
      });
    });
  } else {
    describe.skip(`${name} [skipped: ${chk.reason}]`, body);
  }
}
