/*
 * fpout.h - exact output of floating-point values for the FP guest programs.
 *
 * Values are printed as their bit patterns (exact, so any difference in a
 * last bit shows) and, for readability, as a rounded decimal computed with
 * FP arithmetic of its own (itself part of what is compared).
 */
#ifndef FPOUT_H
#define FPOUT_H

#include <stdint.h>
#include "libmini.h"

static inline uint64_t dbits(double d)
{
    uint64_t u;
    __builtin_memcpy(&u, &d, 8);
    return u;
}

static inline uint32_t fbits(float f)
{
    uint32_t u;
    __builtin_memcpy(&u, &f, 4);
    return u;
}

static inline double dfrom(uint64_t u)
{
    double d;
    __builtin_memcpy(&d, &u, 8);
    return d;
}

static inline float ffrom(uint32_t u)
{
    float f;
    __builtin_memcpy(&f, &u, 4);
    return f;
}

/* A decimal rendering with 6 fractional digits for |v| < 2^53 / 1e6, else "big". */
static inline void put_fixed6(double v)
{
    if (v != v) { uart_puts("nan"); return; }
    if (v < 0) { uart_putc('-'); v = -v; }
    if (v > 9.0e9) { uart_puts("big"); return; }
    uint64_t scaled = (uint64_t)(v * 1e6 + 0.5);
    put_dec_u64(scaled / 1000000);
    uart_putc('.');
    char frac[7];
    uint64_t f = scaled % 1000000;
    for (int i = 5; i >= 0; i--) { frac[i] = (char)('0' + f % 10); f /= 10; }
    frac[6] = 0;
    uart_puts(frac);
}

static inline void put_d(const char *name, double v)
{
    uart_puts(name);
    uart_puts(" = ");
    put_fixed6(v);
    uart_puts(" [");
    put_hex_u64(dbits(v), 16);
    uart_puts("]\n");
}

static inline void put_f(const char *name, float v)
{
    uart_puts(name);
    uart_puts(" = ");
    put_fixed6((double)v);
    uart_puts(" [");
    put_hex_u64(fbits(v), 8);
    uart_puts("]\n");
}

#endif /* FPOUT_H */
