// Before every test, one turn of the event loop. The emulator's tests are synchronous, and vitest runs
// a file's tests back to back with only microtasks between them, so a file with more than a minute of
// emulation in total would starve the worker's RPC with the runner (a fixed 60 s timeout): the run
// then fails with "Timeout calling onTaskUpdate" although every test passed. Awaiting setImmediate
// lets the poll phase read the runner's replies between tests.

import { beforeEach } from 'vitest';

beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
