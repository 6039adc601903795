// The fixture classes the oracle tests use: every integer class, and each SIMD&FP family once its
// fixture file is committed (a family lands with its catalogue entries first, its fixtures when the
// instructions are implemented).

import { existsSync } from 'node:fs';
import { FIXTURE_CLASSES, INT_CLASSES } from '../../tools/oracle/catalogue.js';

export const FIXTURE_DIR = new URL('../fixtures/oracle/', import.meta.url);

export function recorded(cls: string): boolean {
  return INT_CLASSES.includes(cls) || existsSync(new URL(`${cls}.bin.gz`, FIXTURE_DIR));
}

export const RECORDED_CLASSES: readonly string[] = FIXTURE_CLASSES.filter(recorded);
