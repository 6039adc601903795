// Placeholder until the GICv3 model lands.
export class GicCpuInterface {}
