// Instructions keystone cannot assemble (it predates Armv8.1 LSE and Armv8.3 RCpc): LDAPR, the LSE
// atomics SWP/LDADD/LDCLR/LDEOR/LDSET (with A/L suffixes, and their ST* aliases) and CAS. A line that
// is one of these becomes `.word 0x...`; encodings from the Arm ARM's A64 load/store section.

const RN = String.raw`\[\s*(x[0-9]{1,2}|sp)\s*(?:,\s*#0\s*)?\]`;
const RT = String.raw`([wx](?:[0-9]{1,2}|zr))`;

function regNum(r: string): number {
  const t = r.toLowerCase();
  if (t === 'sp' || t.endsWith('zr')) return 31;
  return Number(t.slice(1));
}

function checkReg(r: string): void {
  const t = r.toLowerCase();
  if (t !== 'sp' && !t.endsWith('zr') && Number(t.slice(1)) > 30) throw new Error(`"${r}" is not a register`);
}

const ATOMIC_OPC: Record<string, number> = { add: 0, clr: 1, eor: 2, set: 3 };

/** The encoding of `line` if it is one of the instructions above, else null. Throws on a bad operand. */
export function encodeExtra(line: string): number | null {
  const t = line.trim().toLowerCase().replace(/\s+/g, ' ');
  let m = new RegExp(`^ldapr ${RT}\\s*,\\s*${RN}$`).exec(t);
  if (m !== null) {
    checkReg(m[1]); checkReg(m[2]);
    const sf = m[1][0] === 'x' ? 1 : 0;
    return (0xb8bfc000 | (sf << 30) | (regNum(m[2]) << 5) | regNum(m[1])) >>> 0;
  }
  // SWP / LD<op> Rs, Rt, [Xn]; ST<op> Rs, [Xn] is LD<op> with Rt = ZR (no acquire form).
  m = new RegExp(`^(swp|ld(add|clr|eor|set)|st(add|clr|eor|set))(a|l|al)?(b|h)? ${RT}\\s*,\\s*(?:${RT}\\s*,\\s*)?${RN}$`).exec(t);
  if (m !== null) {
    const [, mn, ldop, stop, order = '', sz = '', rs, rt, rn] = m;
    const isSt = stop !== undefined;
    if (isSt !== (rt === undefined)) throw new Error(isSt ? `${mn} takes two operands` : `${mn} takes three operands`);
    if (isSt && order.includes('a')) throw new Error(`${mn}${order} does not exist (use ld${stop}${order})`);
    const regs = isSt ? [rs] : [rs, rt];
    for (const r of regs) checkReg(r);
    checkReg(rn);
    const x = rs[0] === 'x';
    if (sz !== '' && x) throw new Error(`${mn}${order}${sz} takes W registers`);
    if (!isSt && (rt[0] === 'x') !== x) throw new Error(`${mn}: both registers must be W or both X`);
    const size = sz === 'b' ? 0 : sz === 'h' ? 1 : x ? 3 : 2;
    const a = order.includes('a') ? 1 : 0, r = order.includes('l') ? 1 : 0;
    const o3 = mn === 'swp' ? 1 : 0;
    const opc = mn === 'swp' ? 0 : ATOMIC_OPC[ldop ?? stop];
    const rtN = isSt ? 31 : regNum(rt);
    return ((size << 30) | 0x38200000 | (a << 23) | (r << 22) | (regNum(rs) << 16) | (o3 << 15) | (opc << 12) | (regNum(rn) << 5) | rtN) >>> 0;
  }
  m = new RegExp(`^cas(a|l|al)?(b|h)? ${RT}\\s*,\\s*${RT}\\s*,\\s*${RN}$`).exec(t);
  if (m !== null) {
    const [, order = '', sz = '', rs, rt, rn] = m;
    checkReg(rs); checkReg(rt); checkReg(rn);
    const x = rs[0] === 'x';
    if ((rt[0] === 'x') !== x) throw new Error('cas: both registers must be W or both X');
    if (sz !== '' && x) throw new Error(`cas${order}${sz} takes W registers`);
    const size = sz === 'b' ? 0 : sz === 'h' ? 1 : x ? 3 : 2;
    const l = order.includes('a') ? 1 : 0, o0 = order.includes('l') ? 1 : 0;
    return ((size << 30) | 0x08a07c00 | (l << 22) | (regNum(rs) << 16) | (o0 << 15) | (regNum(rn) << 5) | regNum(rt)) >>> 0;
  }
  return null;
}
