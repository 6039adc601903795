// The flattened device tree (DTB, devicetree specification v0.4, version 17 blob) describing the board
// as QEMU's virt machine does (shared/platform.md), generated per run from the board's options.

export type PropValue = string | string[] | number[] | Uint8Array | null;
export interface DtNode { name: string; props: [string, PropValue][]; children: DtNode[] }

const FDT_MAGIC = 0xd00dfeed;
const FDT_BEGIN_NODE = 1, FDT_END_NODE = 2, FDT_PROP = 3, FDT_NOP = 4, FDT_END = 9;

export function node(name: string, props: [string, PropValue][], children: DtNode[] = []): DtNode {
  return { name, props, children };
}

function encodeValue(v: PropValue): Uint8Array {
  if (v === null) return new Uint8Array(0);
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') v = [v];
  if (v.length > 0 && typeof v[0] === 'string') {
    return new TextEncoder().encode((v as string[]).map((s) => s + '\0').join(''));
  }
  const cells = v as number[];
  const out = new Uint8Array(cells.length * 4);
  const dv = new DataView(out.buffer);
  cells.forEach((c, k) => dv.setUint32(4 * k, c >>> 0));
  return out;
}

/** Serialise a tree into a DTB blob (with the given memory reservation entries, address and size). */
export function serialize(root: DtNode, bootCpu = 0, reserved: readonly [bigint, bigint][] = []): Uint8Array {
  const struct: number[] = [];
  const strings: number[] = [];
  const stringOff = new Map<string, number>();
  const u32 = (v: number) => struct.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
  const bytes = (b: Uint8Array | number[]) => { for (const x of b) struct.push(x); while (struct.length % 4) struct.push(0); };
  const strOff = (s: string): number => {
    let o = stringOff.get(s);
    if (o === undefined) { o = strings.length; stringOff.set(s, o); for (const ch of new TextEncoder().encode(s)) strings.push(ch); strings.push(0); }
    return o;
  };
  const walk = (n: DtNode) => {
    u32(FDT_BEGIN_NODE);
    bytes([...new TextEncoder().encode(n.name), 0]);
    for (const [name, value] of n.props) {
      const data = encodeValue(value);
      u32(FDT_PROP); u32(data.length); u32(strOff(name));
      bytes(data);
    }
    for (const ch of n.children) walk(ch);
    u32(FDT_END_NODE);
  };
  walk(root);
  u32(FDT_END);
  const HEADER = 40, RSV = 16 * (reserved.length + 1);
  const offStruct = HEADER + RSV;
  const offStrings = offStruct + struct.length;
  const total = offStrings + strings.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const hdr = [FDT_MAGIC, total, offStruct, offStrings, HEADER, 17, 16, bootCpu, strings.length, struct.length];
  hdr.forEach((v, k) => dv.setUint32(4 * k, v));
  reserved.forEach(([a, n], k) => { dv.setBigUint64(HEADER + 16 * k, a); dv.setBigUint64(HEADER + 16 * k + 8, n); });
  out.set(struct, offStruct);
  out.set(strings, offStrings);
  return out;
}

export class DtbError extends Error {}

export interface ParsedDtb { root: DtNode; bootCpu: number; reserved: [bigint, bigint][] }

/** Parse a DTB blob (version 16 or 17) into a tree whose property values are raw bytes. Throws
 * DtbError on anything malformed. */
export function parseDtb(blob: Uint8Array): ParsedDtb {
  const fail = (why: string): never => { throw new DtbError(`not a valid device tree blob: ${why}`); };
  if (blob.length < 40) fail('too short');
  const dv = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const h = (k: number) => dv.getUint32(4 * k);
  if (h(0) !== FDT_MAGIC) fail('bad magic');
  const total = h(1), offStruct = h(2), offStrings = h(3), offRsv = h(4), version = h(5);
  if (version < 16) fail(`version ${version}`);
  if (total > blob.length || offStruct >= total || offStrings > total || offRsv + 16 > total) fail('offsets beyond its size');
  const sizeStrings = version >= 17 ? h(8) : total - offStrings;
  const reserved: [bigint, bigint][] = [];
  for (let o = offRsv; ; o += 16) {
    if (o + 16 > total) fail('unterminated memory reservation map');
    const a = dv.getBigUint64(o), n = dv.getBigUint64(o + 8);
    if (a === 0n && n === 0n) break;
    reserved.push([a, n]);
  }
  const dec = new TextDecoder();
  const str = (o: number): string => {
    let e = o;
    while (e < total && blob[e] !== 0) e++;
    if (e >= total) fail('unterminated string');
    return dec.decode(blob.subarray(o, e));
  };
  let p = offStruct;
  const u32 = (): number => { if (p + 4 > total) fail('truncated structure block'); const v = dv.getUint32(p); p += 4; return v; };
  const stack: DtNode[] = [];
  let root: DtNode | undefined;
  for (;;) {
    const tag = u32();
    if (tag === FDT_BEGIN_NODE) {
      const name = str(p);
      p += (new TextEncoder().encode(name).length + 4) & ~3;
      const n = node(name, []);
      if (stack.length > 0) stack[stack.length - 1].children.push(n);
      else if (root === undefined) root = n;
      else fail('two root nodes');
      stack.push(n);
    } else if (tag === FDT_PROP) {
      const len = u32(), nameOff = u32();
      if (stack.length === 0) fail('property outside a node');
      if (p + len > total || nameOff >= sizeStrings) fail('property beyond the blob');
      stack[stack.length - 1].props.push([str(offStrings + nameOff), blob.slice(p, p + len)]);
      p += (len + 3) & ~3;
    } else if (tag === FDT_END_NODE) {
      if (stack.pop() === undefined) fail('unbalanced END_NODE');
    } else if (tag === FDT_NOP) {
      // skipped
    } else if (tag === FDT_END) {
      break;
    } else fail(`unknown tag ${tag}`);
  }
  if (root === undefined || stack.length !== 0) fail('no complete root node');
  return { root: root!, bootCpu: h(7), reserved };
}

function findProp(n: DtNode, name: string): PropValue | undefined {
  return n.props.find(([k]) => k === name)?.[1];
}

/** Set a property as libfdt's fdt_setprop does: in place if it exists, else as the node's first. */
function setProp(n: DtNode, name: string, v: PropValue): void {
  const k = n.props.findIndex(([p]) => p === name);
  if (k >= 0) n.props[k] = [name, v]; else n.props.unshift([name, v]);
}

/** A property's value as big-endian 32-bit cells (for a parsed or a generated tree). */
function cells(v: PropValue | undefined): number[] | undefined {
  if (v === undefined || v === null || typeof v === 'string') return undefined;
  if (Array.isArray(v)) return typeof v[0] === 'number' ? v as number[] : undefined;
  if (v.length % 4 !== 0) return undefined;
  const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
  return Array.from({ length: v.length / 4 }, (_, k) => dv.getUint32(4 * k));
}

/** `value` as `n` big-endian cells (n = 1 or 2), as QEMU's qemu_fdt_setprop_sized_cells. */
function sizedCells(n: number, value: number): number[] {
  if (n === 1) { if (value >= 2 ** 32) throw new DtbError(`0x${value.toString(16)} does not fit in one cell`); return [value >>> 0]; }
  return [...new Array<number>(n - 2).fill(0), Math.floor(value / 2 ** 32), value >>> 0];
}

export interface BootPatch {
  /** Replace the memory nodes by one describing RAM (done for a user's DTB, as QEMU's arm_load_dtb). */
  memory?: { base: number; size: number };
  /** Replace /psci by the node for this board's PSCI conduit (QEMU's fdt_add_psci_node). */
  psciMethod?: 'hvc' | 'smc';
  /** Set /chosen/bootargs (QEMU: only when the command line is not empty). */
  bootargs?: string;
  /** linux,initrd-start and linux,initrd-end in /chosen: one 32-bit cell each, as QEMU 7.2 writes
   * them whatever #address-cells says (Linux reads either size; RAM here ends below 4 GiB). */
  initrd?: { start: number; end: number };
}

/** What QEMU's arm_load_dtb does to the tree it boots with: RAM's memory node, /chosen (created if
 * missing) with bootargs and the initrd. Throws DtbError. */
export function patchForBoot(root: DtNode, patch: BootPatch): void {
  const acells = cells(findProp(root, '#address-cells'))?.[0] ?? 0;
  const scells = cells(findProp(root, '#size-cells'))?.[0] ?? 0;
  if (acells === 0 || scells === 0 || acells > 2 || scells > 2) throw new DtbError(`unsupported #address-cells ${acells} / #size-cells ${scells} in the root node`);
  if (patch.memory !== undefined) {
    const m = patch.memory;
    if (scells < 2 && m.size >= 2 ** 32) throw new DtbError('RAM of 4 GiB or more needs #size-cells 2');
    // QEMU nops every root node named memory or memory@..., then adds its own as the root's first
    // child (libfdt's fdt_add_subnode puts a new node first).
    root.children = root.children.filter((c) => !(c.name === 'memory' || c.name.startsWith('memory@')));
    root.children.unshift(node(`memory@${m.base.toString(16)}`, [
      ['reg', [...sizedCells(acells, m.base), ...sizedCells(scells, m.size)]],
      ['device_type', 'memory'],
    ]));
  }
  let chosen = root.children.find((c) => c.name === 'chosen');
  if (chosen === undefined) { chosen = node('chosen', []); root.children.unshift(chosen); }
  if (patch.bootargs !== undefined && patch.bootargs !== '') setProp(chosen, 'bootargs', patch.bootargs);
  if (patch.initrd !== undefined) {
    setProp(chosen, 'linux,initrd-start', sizedCells(1, patch.initrd.start));
    setProp(chosen, 'linux,initrd-end', sizedCells(1, patch.initrd.end));
  }
  if (patch.psciMethod !== undefined) {
    // A /psci node already there may name other function ids: replaced, as the root's first child.
    root.children = root.children.filter((c) => c.name !== 'psci');
    root.children.unshift(psciNode(patch.psciMethod));
  }
}

/** The PSCI 1.0 node for our firmware (QEMU's, with its property order). */
function psciNode(method: 'hvc' | 'smc'): DtNode {
  return node('psci', [
    ['migrate', [0xc400_0005]],
    ['cpu_on', [0xc400_0003]],
    ['cpu_off', [0x8400_0002]],
    ['cpu_suspend', [0xc400_0001]],
    ['method', method],
    ['compatible', ['arm,psci-1.0', 'arm,psci-0.2', 'arm,psci']],
  ]);
}

export interface BoardDescription {
  ramBase: number;
  ramSize: number;
  /** MPIDR affinity (without bit 31) of each core. */
  mpidrs: number[];
  gicdBase: number;
  gicrBase: number;
  gicrStride: number;
  /** 3 (default) or 2: GICv2 with its CPU interface at giccBase, as QEMU's gic-version=2. */
  gicVersion?: 2 | 3;
  giccBase?: number;
  /** GICv3 ITS frame (an arm,gic-v3-its child of the GIC node, as QEMU writes it). */
  itsBase?: number;
  uartBase: number;
  uartSpi: number;
  psciMethod: 'hvc' | 'smc';
  /** The GICv3 maintenance interrupt (a PPI number), which QEMU's virtualization=on puts in the GIC node
   * (PPI 9); KVM finds the virtual CPU interface's interrupt there. */
  gicMaintenancePpi?: number;
  bootargs: string;
  /** PL031 RTC. */
  rtc?: { base: number; spi: number };
  /** virtio-mmio transports: count of size bytes from base, transport n on SPI spi + n. */
  virtioMmio?: { base: number; size: number; count: number; spi: number };
  /** /chosen/rng-seed (32 bytes) and kaslr-seed (8 bytes), as QEMU writes them. */
  rngSeed?: Uint8Array;
  kaslrSeed?: Uint8Array;
}

const hi32 = (v: number) => Math.floor(v / 4294967296);
const lo32 = (v: number) => v >>> 0;
const reg64 = (base: number, size: number) => [hi32(base), lo32(base), hi32(size), lo32(size)];

// GIC interrupt specifier: <type number flags>, type 0 = SPI, 1 = PPI; flags 4 = level high, with the
// PPI CPU mask in bits [15:8] as QEMU writes it.
const IRQ_TYPE_LEVEL_HIGH = 4;
const IRQ_TYPE_EDGE_RISING = 1;

export function virtDeviceTree(b: BoardDescription): DtNode {
  const GIC_PHANDLE = 0x8001, CLK_PHANDLE = 0x8000, ITS_PHANDLE = 0x8002;
  const v2 = b.gicVersion === 2;
  // GICv2: the PPI specifiers name the cores they go to (bits [15:8]), as QEMU writes them
  const ppiFlags = IRQ_TYPE_LEVEL_HIGH | (v2 ? ((1 << b.mpidrs.length) - 1) << 8 : 0);
  const cpus = b.mpidrs.map((aff) => node(`cpu@${aff.toString(16)}`, [
    ['device_type', 'cpu'],
    ['compatible', 'arm,cortex-a57'],
    ['reg', [aff]],
    ['enable-method', 'psci'],
  ]));
  const uartName = `pl011@${b.uartBase.toString(16)}`;
  // QEMU adds each node at the front of its parent, and makes the virtio-mmio nodes from the highest
  // address down, so they end up lowest address first, before the RTC, which comes before the UART.
  const devices: DtNode[] = [];
  const v = b.virtioMmio;
  if (v !== undefined) {
    for (let n = 0; n < v.count; n++) {
      const base = v.base + n * v.size;
      devices.push(node(`virtio_mmio@${base.toString(16)}`, [
        ['dma-coherent', null],
        ['interrupts', [0, v.spi + n, IRQ_TYPE_EDGE_RISING]],
        ['reg', reg64(base, v.size)],
        ['compatible', 'virtio,mmio'],
      ]));
    }
  }
  if (b.rtc !== undefined) {
    devices.push(node(`pl031@${b.rtc.base.toString(16)}`, [
      ['clock-names', 'apb_pclk'],
      ['clocks', [CLK_PHANDLE]],
      ['interrupts', [0, b.rtc.spi, IRQ_TYPE_LEVEL_HIGH]],
      ['reg', reg64(b.rtc.base, 0x1000)],
      ['compatible', ['arm,pl031', 'arm,primecell']],
    ]));
  }
  const seeds: [string, PropValue][] = [];
  if (b.rngSeed !== undefined) seeds.push(['rng-seed', b.rngSeed]);
  if (b.kaslrSeed !== undefined) seeds.push(['kaslr-seed', b.kaslrSeed]);
  return node('', [
    ['interrupt-parent', [GIC_PHANDLE]],
    ['model', 'linux,dummy-virt'],
    ['#size-cells', [2]],
    ['#address-cells', [2]],
    ['compatible', 'linux,dummy-virt'],
  ], [
    psciNode(b.psciMethod),
    node(`memory@${b.ramBase.toString(16)}`, [
      ['reg', reg64(b.ramBase, b.ramSize)],
      ['device_type', 'memory'],
    ]),
    node('apb-pclk', [
      ['phandle', [CLK_PHANDLE]],
      ['clock-output-names', 'clk24mhz'],
      ['clock-frequency', [24_000_000]],
      ['#clock-cells', [0]],
      ['compatible', 'fixed-clock'],
    ]),
    ...devices,
    node(uartName, [
      ['clock-names', ['uartclk', 'apb_pclk']],
      ['clocks', [CLK_PHANDLE, CLK_PHANDLE]],
      ['interrupts', [0, b.uartSpi, IRQ_TYPE_LEVEL_HIGH]],
      ['reg', reg64(b.uartBase, 0x1000)],
      ['compatible', ['arm,pl011', 'arm,primecell']],
    ]),
    // PMUv3 overflow interrupt: PPI 7 (INTID 23), as QEMU's virt.
    node('pmu', [
      ['interrupts', [1, 7, ppiFlags]],
      ['compatible', 'arm,armv8-pmuv3'],
    ]),
    v2 ? node(`intc@${b.gicdBase.toString(16)}`, [
      ['phandle', [GIC_PHANDLE]],
      ['reg', [...reg64(b.gicdBase, 0x10000), ...reg64(b.giccBase ?? 0x0801_0000, 0x10000)]],
      ['compatible', 'arm,cortex-a15-gic'],
      ['ranges', null],
      ['#size-cells', [2]],
      ['#address-cells', [2]],
      ['interrupt-controller', null],
      ['#interrupt-cells', [3]],
    ]) : node(`intc@${b.gicdBase.toString(16)}`, [
      ['phandle', [GIC_PHANDLE]],
      ...(b.gicMaintenancePpi !== undefined ? [['interrupts', [1, b.gicMaintenancePpi, IRQ_TYPE_LEVEL_HIGH]] as [string, number[]]] : []),
      ['reg', [...reg64(b.gicdBase, 0x10000), ...reg64(b.gicrBase, b.gicrStride * b.mpidrs.length)]],
      ['#redistributor-regions', [1]],
      ['compatible', 'arm,gic-v3'],
      // QEMU's order; `ranges` maps the ITS child's addresses one to one
      ['ranges', null],
      ['#size-cells', [2]],
      ['#address-cells', [2]],
      ['interrupt-controller', null],
      ['#interrupt-cells', [3]],
    ], b.itsBase === undefined ? [] : [
      node(`its@${b.itsBase.toString(16)}`, [
        ['phandle', [ITS_PHANDLE]],
        ['reg', reg64(b.itsBase, 0x20000)],
        ['#msi-cells', [1]],
        ['msi-controller', null],
        ['compatible', 'arm,gic-v3-its'],
      ]),
    ]),
    node('timer', [
      // Secure physical (PPI 29), non-secure physical (30), virtual (27), hypervisor (26).
      ['interrupts', [1, 13, ppiFlags, 1, 14, ppiFlags, 1, 11, ppiFlags, 1, 10, ppiFlags]],
      ['always-on', null],
      ['compatible', ['arm,armv8-timer', 'arm,armv7-timer']],
    ]),
    node('cpus', [['#size-cells', [0]], ['#address-cells', [1]]], cpus),
    node('chosen', [
      ['bootargs', b.bootargs],
      ['stdout-path', `/${uartName}`],
      ...seeds,
    ]),
  ]);
}
