// Arm ARM C4.1.6: Data Processing -- Scalar Floating-Point and Advanced SIMD (op0 = x111).
// The FP/SIMD register file is not implemented, and ID_AA64PFR0_EL1 says so (FP = AdvSIMD = 0xF).
// Every encoding in this space still checks CPACR_EL1.FPEN / CPTR_EL2.TFP first and takes the FP
// access trap (EC 0x07) when access is off, as a kernel doing lazy FP switching expects, and is
// UNDEFINED otherwise. Encodings the Arm ARM leaves unallocated in this space trap the same way
// when access is off (they would be UNDEFINED).

import { enc, Encoding } from '../insn.js';
import { FP_LDST } from './ldst.js';

export const SIMD_FP: Encoding[] = [
  enc('iii 0111 jjjjjjjjjjjjjjjjjjjjjjjjj', 'SIMD_FP_dp', FP_LDST),
  enc('iii 1111 jjjjjjjjjjjjjjjjjjjjjjjjj', 'SIMD_FP_dp', FP_LDST),
];
