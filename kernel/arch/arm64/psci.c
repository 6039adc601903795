/* PSCI (Arm DEN0022) calls through HVC or SMC, as the device tree says. */
#include "arch.h"

static bool sPSCIUseSMC;

void psci_init(bool useSMC)
{
	sPSCIUseSMC = useSMC;
}

int64 psci_call(uint32 function, uint64 a1, uint64 a2, uint64 a3)
{
	register uint64 x0 __asm__("x0") = function;
	register uint64 x1 __asm__("x1") = a1;
	register uint64 x2 __asm__("x2") = a2;
	register uint64 x3 __asm__("x3") = a3;
	/* SMCCC: x0-x17 may be clobbered by the callee */
	if (sPSCIUseSMC)
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			:: "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			"x14", "x15", "x16", "x17", "memory");
	else
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			:: "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13",
			"x14", "x15", "x16", "x17", "memory");
	return (int64)x0;
}

int64 psci_cpu_on(uint64 targetMPIDR, addr_t entry, uint64 contextID)
{
	return psci_call(PSCI_CPU_ON_64, targetMPIDR, entry, contextID);
}
