// The flattened device tree (DTB, devicetree specification v0.4, version 17 blob) describing the board
// as QEMU's virt machine does (shared/platform.md), generated per run from the board's options.

export type PropValue = string | string[] | number[] | Uint8Array | null;
export interface DtNode { name: string; props: [string, PropValue][]; children: DtNode[] }

const FDT_MAGIC = 0xd00dfeed;
const FDT_BEGIN_NODE = 1, FDT_END_NODE = 2, FDT_PROP = 3, FDT_END = 9;

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

/** Serialise a tree into a DTB blob. */
export function serialize(root: DtNode, bootCpu = 0): Uint8Array {
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
  const HEADER = 40, RSV = 16;
  const offStruct = HEADER + RSV;
  const offStrings = offStruct + struct.length;
  const total = offStrings + strings.length;
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  const hdr = [FDT_MAGIC, total, offStruct, offStrings, HEADER, 17, 16, bootCpu, strings.length, struct.length];
  hdr.forEach((v, k) => dv.setUint32(4 * k, v));
  out.set(struct, offStruct);
  out.set(strings, offStrings);
  return out;
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
  uartBase: number;
  uartSpi: number;
  psciMethod: 'hvc' | 'smc';
  bootargs: string;
}

const hi32 = (v: number) => Math.floor(v / 4294967296);
const lo32 = (v: number) => v >>> 0;
const reg64 = (base: number, size: number) => [hi32(base), lo32(base), hi32(size), lo32(size)];

// GIC interrupt specifier: <type number flags>, type 0 = SPI, 1 = PPI; flags 4 = level high, with the
// PPI CPU mask in bits [15:8] as QEMU writes it.
const IRQ_TYPE_LEVEL_HIGH = 4;

export function virtDeviceTree(b: BoardDescription): DtNode {
  const GIC_PHANDLE = 0x8001, CLK_PHANDLE = 0x8000;
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
  return node('', [
    ['interrupt-parent', [GIC_PHANDLE]],
    ['model', 'linux,dummy-virt'],
    ['#size-cells', [2]],
    ['#address-cells', [2]],
    ['compatible', 'linux,dummy-virt'],
  ], [
    node('psci', [
      ['migrate', [0xc400_0005]],
      ['cpu_on', [0xc400_0003]],
      ['cpu_off', [0x8400_0002]],
      ['cpu_suspend', [0xc400_0001]],
      ['method', b.psciMethod],
      ['compatible', ['arm,psci-1.0', 'arm,psci-0.2', 'arm,psci']],
    ]),
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
    node(uartName, [
      ['clock-names', ['uartclk', 'apb_pclk']],
      ['clocks', [CLK_PHANDLE, CLK_PHANDLE]],
      ['interrupts', [0, b.uartSpi, IRQ_TYPE_LEVEL_HIGH]],
      ['reg', reg64(b.uartBase, 0x1000)],
      ['compatible', ['arm,pl011', 'arm,primecell']],
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
      ['reg', [...reg64(b.gicdBase, 0x10000), ...reg64(b.gicrBase, b.gicrStride * b.mpidrs.length)]],
      ['#redistributor-regions', [1]],
      ['compatible', 'arm,gic-v3'],
      ['interrupt-controller', null],
      ['#interrupt-cells', [3]],
      ['#address-cells', [2]],
      ['#size-cells', [2]],
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
    ]),
  ]);
}
