/* A minimal flattened-device-tree reader: just what the boot needs from
 * /cpus, /psci, the GICv3 node and /memory. Props precede subnodes in the
 * structure block, so #address-cells is known before any child's reg. */
#include "fdt.h"
#include "../../kernel/string.h"

#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9
#define FDT_MAX_DEPTH	8

static uint32 be32(const void *p)
{
	const uint8 *b = p;
	return ((uint32)b[0] << 24) | ((uint32)b[1] << 16) | ((uint32)b[2] << 8) | b[3];
}

/* a value of `cells` 32-bit cells */
static uint64 read_cells(const uint8 *p, uint32 cells)
{
	uint64 v = 0;
	for (uint32 i = 0; i < cells; i++)
		v = (v << 32) | be32(p + 4 * i);
	return v;
}

bool fdt_valid(addr_t fdt)
{
	return fdt != 0 && be32((const void *)fdt) == FDT_MAGIC;
}

/* true if the NUL-separated string list contains s */
static bool stringlist_contains(const char *list, uint32 len, const char *s)
{
	uint32 i = 0;
	while (i < len) {
		if (strcmp(list + i, s) == 0)
			return true;
		i += (uint32)strlen(list + i) + 1;
	}
	return false;
}

typedef struct node_scratch {
	const char *name;
	const uint8 *reg;
	uint32 regLen;
	const char *compatible;
	uint32 compatibleLen;
	const char *deviceType;
	const char *method;
} node_scratch;

int fdt_parse(addr_t fdt, fdt_info *info)
{
	const uint8 *base = (const uint8 *)fdt;
	if (be32(base) != FDT_MAGIC)
		return -1;
	const uint8 *p = base + be32(base + 8);
	const char *strings = (const char *)base + be32(base + 12);

	node_scratch nodes[FDT_MAX_DEPTH + 1];
	int depth = 0;
	uint32 rootAddressCells = 2, rootSizeCells = 1, cpusAddressCells = 1;
	memset(info, 0, sizeof(*info));

	for (;;) {
		uint32 token = be32(p);
		p += 4;
		if (token == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;
			p += (strlen(name) + 1 + 3) & ~3u;
			depth++;
			if (depth > FDT_MAX_DEPTH)
				return -2;
			memset(&nodes[depth], 0, sizeof(nodes[depth]));
			nodes[depth].name = name;
		} else if (token == FDT_PROP) {
			uint32 len = be32(p);
			const char *name = strings + be32(p + 4);
			const uint8 *value = p + 8;
			p += 8 + ((len + 3) & ~3u);
			node_scratch *n = &nodes[depth];
			if (depth == 1 && strcmp(name, "#address-cells") == 0)
				rootAddressCells = be32(value);
			else if (depth == 1 && strcmp(name, "#size-cells") == 0)
				rootSizeCells = be32(value);
			else if (depth == 2 && strcmp(n->name, "cpus") == 0
					&& strcmp(name, "#address-cells") == 0)
				cpusAddressCells = be32(value);
			else if (strcmp(name, "reg") == 0) {
				n->reg = value;
				n->regLen = len;
			} else if (strcmp(name, "compatible") == 0) {
				n->compatible = (const char *)value;
				n->compatibleLen = len;
			} else if (strcmp(name, "device_type") == 0)
				n->deviceType = (const char *)value;
			else if (strcmp(name, "method") == 0)
				n->method = (const char *)value;
		} else if (token == FDT_END_NODE) {
			if (depth <= 0)
				return -3;
			node_scratch *n = &nodes[depth];
			if (depth == 3 && strcmp(nodes[2].name, "cpus") == 0
					&& strncmp(n->name, "cpu@", 4) == 0 && n->reg != NULL) {
				if (info->num_cpus < FDT_MAX_CPUS)
					info->cpu_mpidr[info->num_cpus++] = read_cells(n->reg, cpusAddressCells);
			} else if (depth == 2) {
				uint32 entry = 4 * (rootAddressCells + rootSizeCells);
				if (n->compatible && stringlist_contains(n->compatible, n->compatibleLen,
						"arm,gic-v3") && n->reg && n->regLen >= 2 * entry) {
					info->gicd_base = read_cells(n->reg, rootAddressCells);
					info->gicr_base = read_cells(n->reg + entry, rootAddressCells);
					info->gicr_size = read_cells(n->reg + entry + 4 * rootAddressCells,
						rootSizeCells);
					info->gic_version = 3;
				} else if (n->compatible && (stringlist_contains(n->compatible, n->compatibleLen,
						"arm,cortex-a15-gic") || stringlist_contains(n->compatible,
						n->compatibleLen, "arm,gic-400")) && n->reg && n->regLen >= 2 * entry) {
					/* GICv2: distributor, then the CPU interface */
					info->gicd_base = read_cells(n->reg, rootAddressCells);
					info->gicr_base = read_cells(n->reg + entry, rootAddressCells);
					info->gicr_size = 0;
					info->gic_version = 2;
				} else if ((strcmp(n->name, "psci") == 0 || (n->compatible
						&& stringlist_contains(n->compatible, n->compatibleLen, "arm,psci-0.2")))
						&& n->method) {
					info->psci_method = strcmp(n->method, "smc") == 0 ? FDT_PSCI_SMC : FDT_PSCI_HVC;
				} else if (((n->deviceType && strcmp(n->deviceType, "memory") == 0)
						|| strncmp(n->name, "memory", 6) == 0) && n->reg && info->ram_size == 0) {
					info->ram_base = read_cells(n->reg, rootAddressCells);
					info->ram_size = read_cells(n->reg + 4 * rootAddressCells, rootSizeCells);
				}
			}
			depth--;
		} else if (token == FDT_NOP) {
			continue;
		} else if (token == FDT_END) {
			break;
		} else {
			return -4;
		}
	}
	return 0;
}
