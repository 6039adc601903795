/* Arm generic timer: the counter for time stamps and contention statistics,
 * the EL1 physical timer (PPI 30) for the self-test watchdog, and the event
 * stream that bounds every WFE sleep. */
#include "arch.h"
#include "cpu.h"
#include "barrier.h"

#define CNTKCTL_EL0PCTEN	(1u << 0)
#define CNTKCTL_EVNTEN		(1u << 2)
#define CNTKCTL_EVNTI_SHIFT	4
/* Event every 2^(EVNTI+1) ticks: 2^13 ticks = 131 us at 62.5 MHz. A core in
 * WFE waiting for a word that never changes (a deadlock) still wakes up and
 * counts spins, so deadlock detection cannot sleep through. */
#define EVENT_STREAM_EVNTI	12

#define CNTP_CTL_ENABLE		(1u << 0)
#define CNTP_CTL_IMASK		(1u << 1)

void timer_init(void)
{
	WRITE_SPECIALREG(cntkctl_el1,
		CNTKCTL_EL0PCTEN | CNTKCTL_EVNTEN | (EVENT_STREAM_EVNTI << CNTKCTL_EVNTI_SHIFT));
	WRITE_SPECIALREG(cntp_ctl_el0, CNTP_CTL_IMASK);
	isb();
}

uint64 timer_frequency(void)
{
	uint64 f = READ_SPECIALREG(cntfrq_el0);
	return f ? f : 62500000;
}

uint64 timer_now(void)
{
	isb();	/* don't let the counter read happen early */
	return READ_SPECIALREG(cntpct_el0);
}

uint64 timer_us_to_ticks(uint64 us)
{
	return us * timer_frequency() / 1000000;
}

void timer_delay_us(uint64 us)
{
	uint64 end = timer_now() + timer_us_to_ticks(us);
	while (timer_now() < end)
		cpu_pause();
}

void timer_arm_oneshot(uint64 ticksFromNow)
{
	WRITE_SPECIALREG(cntp_cval_el0, timer_now() + ticksFromNow);
	WRITE_SPECIALREG(cntp_ctl_el0, CNTP_CTL_ENABLE);
	isb();
}

void timer_disarm(void)
{
	WRITE_SPECIALREG(cntp_ctl_el0, CNTP_CTL_IMASK);
	isb();
}
