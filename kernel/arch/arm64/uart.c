/* PL011 UART, polled transmit only. */
#include "arch.h"

#define UARTDR		0x000
#define UARTFR		0x018
#define UARTCR		0x030
#define UARTFR_TXFF	(1u << 5)
#define UARTCR_UARTEN	(1u << 0)
#define UARTCR_TXE	(1u << 8)

static inline volatile uint32 *uart_reg(uint32 offset)
{
	return (volatile uint32 *)(PL011_BASE + offset);
}

void uart_init(void)
{
	/* QEMU's PL011 transmits without setup; enable it anyway so a model that
	 * honours UARTCR works too. Baud rate does not matter on a virtual UART. */
	*uart_reg(UARTCR) |= UARTCR_UARTEN | UARTCR_TXE;
}

void uart_putc(char c)
{
	while (*uart_reg(UARTFR) & UARTFR_TXFF)
		;
	*uart_reg(UARTDR) = (uint8)c;
}

void uart_puts(const char *s)
{
	while (*s) {
		if (*s == '\n')
			uart_putc('\r');
		uart_putc(*s++);
	}
}
