// Oracle family crypto: the Cortex-A57 cryptographic extension (AES, SHA-1, SHA-256) and PMULL/PMULL2
// (8-bit and 64-bit polynomials), with the unallocated encodings of their classes.

import type { Family } from '../catalogue.js';

const AES = ['AESE', 'AESD', 'AESMC', 'AESIMC'];
const SHA3 = ['SHA1C', 'SHA1P', 'SHA1M', 'SHA1SU0', 'SHA256H', 'SHA256H2', 'SHA256SU1'];
const SHA2 = ['SHA1H', 'SHA1SU1', 'SHA256SU0'];
const bits = (v: number, n: number): string => v.toString(2).padStart(n, '0');

export const CRYPTO: Family = {
  cls: 'crypto',
  count: 5000,
  entries: [
    ...AES.map((name, k) => ({ name, pattern: `01001110 00 10100 ${bits(4 + k, 5)} 10 nnnnn ddddd`, weight: 2 })),
    ...SHA3.map((name, k) => ({ name, pattern: `01011110 00 0 mmmmm 0 ${bits(k, 3)} 00 nnnnn ddddd`, weight: 2 })),
    ...SHA2.map((name, k) => ({ name, pattern: `01011110 00 10100 ${bits(k, 5)} 10 nnnnn ddddd`, weight: 2 })),
    { name: 'PMULL_8', pattern: '0 Q 0 01110 00 1 mmmmm 1110 00 nnnnn ddddd', weight: 2 },
    { name: 'PMULL_64', pattern: '0 Q 0 01110 11 1 mmmmm 1110 00 nnnnn ddddd', weight: 2 },
    { name: 'PMULL_reserved', pattern: '0 Q 0 01110 01 1 mmmmm 1110 00 nnnnn ddddd' },
    { name: 'PMULL_reserved2', pattern: '0 Q 0 01110 10 1 mmmmm 1110 00 nnnnn ddddd' },
    // Unallocated: AES with size != 00 or another opcode; SHA3 opcode 111; SHA2 other opcodes.
    { name: 'AES_size_unalloc', pattern: '01001110 1s 10100 0010o 10 nnnnn ddddd' },
    { name: 'AES_opcode_unalloc', pattern: '01001110 00 10100 0000o 10 nnnnn ddddd' },
    { name: 'SHA3_unalloc', pattern: '01011110 00 0 mmmmm 0 111 00 nnnnn ddddd' },
    { name: 'SHA3_size_unalloc', pattern: '01011110 1s 0 mmmmm 0 ooo 00 nnnnn ddddd' },
    { name: 'SHA2_unalloc', pattern: '01011110 00 10100 00011 10 nnnnn ddddd' },
    { name: 'SHA2_unalloc2', pattern: '01011110 00 10100 001oo 10 nnnnn ddddd' },
  ],
};
