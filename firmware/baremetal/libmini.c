/*
 * libmini.c - tiny freestanding helpers for the bare-metal test programs.
 * See libmini.h.  Deliberately simple, byte-at-a-time code: the point is
 * to be obviously correct and free of undefined behaviour at every -O level.
 */
#include "libmini.h"

/* ---------------------------------------------------------------- UART */

void uart_putc(char c)
{
    volatile uint32_t *dr = (volatile uint32_t *)UART0_BASE;
    *dr = (uint32_t)(unsigned char)c;
}

void uart_puts(const char *s)
{
    while (*s)
        uart_putc(*s++);
}

void uart_putline(const char *s)
{
    uart_puts(s);
    uart_putc('\n');
}

/* ------------------------------------------------------------ integers */

static int fmt_u64(char *out, uint64_t v, unsigned base, int upper)
{
    const char *digs = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = digs[v % base];
        v /= base;
    } while (v != 0);
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

void put_dec_u64(uint64_t v)
{
    char buf[24];
    int n = fmt_u64(buf, v, 10, 0);
    for (int i = 0; i < n; i++)
        uart_putc(buf[i]);
}

void put_dec_i64(int64_t v)
{
    if (v < 0) {
        uart_putc('-');
        put_dec_u64(0 - (uint64_t)v);
    } else {
        put_dec_u64((uint64_t)v);
    }
}

void put_hex_u64(uint64_t v, int digits)
{
    char buf[24];
    int n = fmt_u64(buf, v, 16, 0);
    for (int i = n; i < digits; i++)
        uart_putc('0');
    for (int i = 0; i < n; i++)
        uart_putc(buf[i]);
}

/* -------------------------------------------------------------- printf */

/* An output sink: either the UART or a bounded buffer. */
struct sink {
    char *buf;      /* NULL: UART */
    size_t size;    /* capacity of buf including the NUL */
    size_t count;   /* characters produced so far (not limited by size) */
};

static void sink_put(struct sink *s, char c)
{
    if (s->buf == NULL)
        uart_putc(c);
    else if (s->count + 1 < s->size)
        s->buf[s->count] = c;
    s->count++;
}

static void sink_pad(struct sink *s, char c, int n)
{
    while (n-- > 0)
        sink_put(s, c);
}

static void vformat(struct sink *s, const char *fmt, va_list ap)
{
    while (*fmt) {
        char c = *fmt++;
        if (c != '%') {
            sink_put(s, c);
            continue;
        }
        int left = 0, zero = 0, width = 0, lng = 0;
        for (;;) {
            if (*fmt == '-') {
                left = 1;
                fmt++;
            } else if (*fmt == '0') {
                zero = 1;
                fmt++;
            } else {
                break;
            }
        }
        if (*fmt == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                left = 1;
                width = -width;
            }
            fmt++;
        } else {
            while (*fmt >= '0' && *fmt <= '9')
                width = width * 10 + (*fmt++ - '0');
        }
        /* length: -2 hh, -1 h, 0 int, 1 long, 2 long long, 3 size_t */
        if (*fmt == 'h') {
            fmt++;
            lng = -1;
            if (*fmt == 'h') {
                fmt++;
                lng = -2;
            }
        } else if (*fmt == 'l') {
            fmt++;
            lng = 1;
            if (*fmt == 'l') {
                fmt++;
                lng = 2;
            }
        } else if (*fmt == 'z') {
            fmt++;
            lng = 3;
        }
        char conv = *fmt;
        if (conv == '\0')
            break;
        fmt++;

        char num[24];
        int len = 0, neg = 0;
        const char *str = num;
        switch (conv) {
        case 'd':
        case 'i': {
            int64_t v;
            if (lng >= 1)
                v = va_arg(ap, int64_t); /* long, long long: both 64-bit */
            else
                v = va_arg(ap, int);
            if (lng == -1)
                v = (short)v;
            else if (lng == -2)
                v = (signed char)v;
            uint64_t u = (uint64_t)v;
            if (v < 0) {
                neg = 1;
                u = 0 - u;
            }
            len = fmt_u64(num, u, 10, 0);
            break;
        }
        case 'u':
        case 'x':
        case 'X':
        case 'p': {
            uint64_t u;
            if (conv == 'p')
                u = (uint64_t)(uintptr_t)va_arg(ap, void *);
            else if (lng >= 1)
                u = va_arg(ap, uint64_t);
            else
                u = va_arg(ap, unsigned int);
            if (lng == -1)
                u = (unsigned short)u;
            else if (lng == -2)
                u = (unsigned char)u;
            unsigned base = (conv == 'u') ? 10 : 16;
            if (conv == 'p') {
                num[0] = '0';
                num[1] = 'x';
                len = 2 + fmt_u64(num + 2, u, 16, 0);
            } else {
                len = fmt_u64(num, u, base, conv == 'X');
            }
            break;
        }
        case 'c':
            num[0] = (char)va_arg(ap, int);
            len = 1;
            break;
        case 's':
            str = va_arg(ap, const char *);
            if (str == NULL)
                str = "(null)";
            len = (int)strlen(str);
            break;
        case '%':
            num[0] = '%';
            len = 1;
            break;
        default: /* unknown: print it verbatim */
            sink_put(s, '%');
            sink_put(s, conv);
            continue;
        }

        int total = len + neg;
        int pad = width > total ? width - total : 0;
        if (!left && !(zero && conv != 's' && conv != 'c'))
            sink_pad(s, ' ', pad);
        if (neg)
            sink_put(s, '-');
        if (!left && zero && conv != 's' && conv != 'c')
            sink_pad(s, '0', pad);
        for (int i = 0; i < len; i++)
            sink_put(s, str[i]);
        if (left)
            sink_pad(s, ' ', pad);
    }
}

int kvprintf(const char *fmt, va_list ap)
{
    struct sink s = { NULL, 0, 0 };
    vformat(&s, fmt, ap);
    return (int)s.count;
}

int kprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct sink s = { buf, size, 0 };
    vformat(&s, fmt, ap);
    if (size > 0)
        buf[s.count < size ? s.count : size - 1] = '\0';
    return (int)s.count;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = kvsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* ------------------------------------------------------ memory, strings */

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((uintptr_t)d < (uintptr_t)s) {
        while (n--)
            *d++ = *s++;
    } else if ((uintptr_t)d > (uintptr_t)s) {
        d += n;
        s += n;
        while (n--)
            *--d = *--s;
    }
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++) {
        if (*p != *q)
            return *p < *q ? -1 : 1;
    }
    return 0;
}

size_t strlen(const char *s)
{
    const char *p = s;
    while (*p)
        p++;
    return (size_t)(p - s);
}

/* ------------------------------------------------------------ checksum */

void cksum_init(cksum_t *c)
{
    c->h = 0x811c9dc5u;
}

void cksum_bytes(cksum_t *c, const void *p, size_t n)
{
    const unsigned char *b = p;
    uint32_t h = c->h;
    while (n--) {
        h ^= *b++;
        h *= 0x01000193u;
    }
    c->h = h;
}

void cksum_u64(cksum_t *c, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    cksum_bytes(c, b, 8);
}

/* ----------------------------------------------------------- exceptions */

void crt_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far);

/* Called from crt0's vector table: report and exit with status 0x7F. */
void crt_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
{
    kprintf("\n*** unexpected exception: vector %lu esr=%lx elr=%lx far=%lx\n",
            kind, esr, elr, far);
    crt_exit(0x7F);
}
