/*
 * libmini.h - tiny freestanding helpers for the bare-metal test programs.
 *
 * Output goes to the PL011 UART0 data register of the QEMU virt board
 * (0x09000000); the transmit FIFO is never checked (QEMU and a64emu both
 * accept bytes immediately).  Programs end by returning from main, which
 * makes crt0 call semihosting SYS_EXIT; crt_exit() may also be called
 * directly.
 */
#ifndef LIBMINI_H
#define LIBMINI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define UART0_BASE 0x09000000UL

/* UART output */
void uart_putc(char c);
void uart_puts(const char *s);          /* no newline appended */
void uart_putline(const char *s);       /* appends '\n' */

/* integer output */
void put_dec_u64(uint64_t v);
void put_dec_i64(int64_t v);
void put_hex_u64(uint64_t v, int digits); /* lower-case, no prefix, zero-padded to digits */

/*
 * printf-like formatting.  Supports %d %i %u %x %X %c %s %p %%, the length
 * modifiers h, hh, l, ll, z, the flags '-' and '0', a decimal field width
 * and '*'.  No floating point.
 */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* memory and string primitives (the compilers may also emit calls to these) */
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

/* semihosting SYS_EXIT (op 0x18, reason 0x20026 ADP_Stopped_ApplicationExit) */
_Noreturn void crt_exit(int status);

/* A running 32-bit checksum (FNV-1a) of values, for summary lines. */
typedef struct {
    uint32_t h;
} cksum_t;
void cksum_init(cksum_t *c);
void cksum_u64(cksum_t *c, uint64_t v);
void cksum_bytes(cksum_t *c, const void *p, size_t n);

#endif /* LIBMINI_H */
