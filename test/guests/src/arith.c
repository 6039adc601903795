/*
 * arith.c - integer arithmetic: 32/64-bit add/sub/mul/div/mod, signed and
 * unsigned, wrap-around, widening multiply, overflow detection, shifts,
 * narrowing/widening conversions, gcd/lcm, modular exponentiation, integer
 * square/cube roots, Collatz, and the architectural division corner cases
 * (divide by zero, INT_MIN / -1) through inline assembly.
 *
 * Everything is free of undefined behaviour: signed wrap-around is done in
 * unsigned arithmetic and converted back (GCC and Clang define that
 * conversion as modulo 2^N).
 */
#include "libmini.h"

int main(void);

static uint64_t lcg_state = 0x2545F4914F6CDD1DULL;

static uint64_t rnd64(void)
{
    /* Knuth's MMIX LCG */
    lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
    uint64_t x = lcg_state;
    return x ^ (x >> 29);
}

static cksum_t ck;

static void line_u(const char *tag, int i, uint64_t v)
{
    kprintf("%s[%d] = %lu (0x%016lx)\n", tag, i, v, v);
    cksum_u64(&ck, v);
}

static void line_s(const char *tag, int i, int64_t v)
{
    kprintf("%s[%d] = %ld\n", tag, i, v);
    cksum_u64(&ck, (uint64_t)v);
}

/* 64x64 -> 128 high half, portable, through 32-bit pieces */
static uint64_t mulhi_u64_portable(uint64_t a, uint64_t b)
{
    uint64_t a_lo = a & 0xffffffffu, a_hi = a >> 32;
    uint64_t b_lo = b & 0xffffffffu, b_hi = b >> 32;
    uint64_t p0 = a_lo * b_lo;
    uint64_t p1 = a_lo * b_hi;
    uint64_t p2 = a_hi * b_lo;
    uint64_t p3 = a_hi * b_hi;
    uint64_t mid = (p0 >> 32) + (p1 & 0xffffffffu) + (p2 & 0xffffffffu);
    return p3 + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
}

static uint64_t mulhi_u64_native(uint64_t a, uint64_t b)
{
    unsigned __int128 p = (unsigned __int128)a * b;
    return (uint64_t)(p >> 64);
}

static int64_t mulhi_s64_native(int64_t a, int64_t b)
{
    __int128 p = (__int128)a * b;
    return (int64_t)(p >> 64);
}

static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
    while (b != 0) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* binary gcd (Stein), as a cross-check */
static uint64_t gcd_binary(uint64_t a, uint64_t b)
{
    if (a == 0)
        return b;
    if (b == 0)
        return a;
    int shift = 0;
    while (((a | b) & 1) == 0) {
        a >>= 1;
        b >>= 1;
        shift++;
    }
    while ((a & 1) == 0)
        a >>= 1;
    do {
        while ((b & 1) == 0)
            b >>= 1;
        if (a > b) {
            uint64_t t = a;
            a = b;
            b = t;
        }
        b -= a;
    } while (b != 0);
    return a << shift;
}

/* modulus < 2^32 so every product fits in 64 bits */
static uint64_t powmod(uint64_t base, uint64_t exp, uint32_t mod)
{
    uint64_t r = 1 % mod;
    base %= mod;
    while (exp) {
        if (exp & 1)
            r = r * base % mod;
        base = base * base % mod;
        exp >>= 1;
    }
    return r;
}

static uint64_t isqrt_u64(uint64_t n)
{
    if (n < 2)
        return n;
    /* Newton from an over-estimate */
    uint64_t x = n;
    uint64_t y = (x >> 1) + 1;
    while (y < x) {
        x = y;
        y = (x + n / x) >> 1;
    }
    return x;
}

static uint64_t icbrt_u64(uint64_t n)
{
    /* bitwise cube root */
    uint64_t y = 0;
    for (int s = 63; s >= 0; s -= 3) {
        y <<= 1;
        uint64_t b = 3 * y * (y + 1) + 1;
        if ((n >> s) >= b) {
            n -= b << s;
            y++;
        }
    }
    return y;
}

/* architectural division results that C leaves undefined */
static uint64_t asm_udiv64(uint64_t a, uint64_t b)
{
    uint64_t r;
    __asm__("udiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

static int64_t asm_sdiv64(int64_t a, int64_t b)
{
    int64_t r;
    __asm__("sdiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

static uint32_t asm_udiv32(uint32_t a, uint32_t b)
{
    uint32_t r;
    __asm__("udiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

static int32_t asm_sdiv32(int32_t a, int32_t b)
{
    int32_t r;
    __asm__("sdiv %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(b));
    return r;
}

static int collatz_steps(uint64_t n)
{
    int steps = 0;
    while (n != 1) {
        n = (n & 1) ? 3 * n + 1 : n >> 1;
        steps++;
    }
    return steps;
}

static void section(const char *name)
{
    kprintf("== %s\n", name);
}

int main(void)
{
    cksum_init(&ck);
    kprintf("arith: integer arithmetic test\n");

    section("unsigned 64-bit wrap");
    {
        uint64_t a = 0xFFFFFFFFFFFFFFFFULL, b = 1;
        line_u("max+1", 0, a + b);
        line_u("0-1", 0, (uint64_t)0 - b);
        line_u("max*max", 0, a * a);
        line_u("2^63*2", 0, (1ULL << 63) * 2);
        uint64_t x = 1;
        for (int i = 0; i < 12; i++) {
            x = x * 0x9E3779B97F4A7C15ULL + (uint64_t)i;
            line_u("golden", i, x);
        }
    }

    section("unsigned 32-bit wrap");
    {
        uint32_t a = 0xFFFFFFFFu;
        line_u("u32 max+1", 0, (uint32_t)(a + 1u));
        line_u("u32 max*3", 0, (uint32_t)(a * 3u));
        uint32_t x = 7;
        for (int i = 0; i < 10; i++) {
            x = x * 2654435761u + 12345u;
            line_u("knuth32", i, x);
        }
    }

    section("signed wrap via unsigned");
    {
        int64_t big = 0x7FFFFFFFFFFFFFFFLL;
        line_s("s64 max+1", 0, (int64_t)((uint64_t)big + 1));
        line_s("s64 min-1", 0, (int64_t)((uint64_t)(-big - 1) - 1));
        int32_t b32 = 0x7FFFFFFF;
        line_s("s32 max+1", 0, (int32_t)((uint32_t)b32 + 1u));
        line_s("s32 max*2", 0, (int32_t)((uint32_t)b32 * 2u));
        line_s("neg s32 min", 0, (int32_t)(0u - (uint32_t)(-b32 - 1)));
    }

    section("overflow builtins");
    for (int i = 0; i < 16; i++) {
        int64_t a = (int64_t)rnd64();
        int64_t b = (int64_t)(rnd64() >> (i * 4));
        int64_t r;
        int o1 = __builtin_add_overflow(a, b, &r);
        int64_t r2;
        int o2 = __builtin_sub_overflow(a, b, &r2);
        int64_t r3;
        int o3 = __builtin_mul_overflow(a, b, &r3);
        uint64_t u;
        int o4 = __builtin_add_overflow((uint64_t)a, (uint64_t)b, &u);
        kprintf("ovf[%d] a=%ld b=%ld add=%ld/%d sub=%ld/%d mul=%ld/%d uadd=%lu/%d\n", i, a, b,
                r, o1, r2, o2, r3, o3, u, o4);
        cksum_u64(&ck, (uint64_t)r ^ (uint64_t)r2 ^ (uint64_t)r3 ^ u);
        cksum_u64(&ck, (uint64_t)(o1 | o2 << 1 | o3 << 2 | o4 << 3));
    }

    section("widening multiply");
    for (int i = 0; i < 20; i++) {
        uint64_t a = rnd64(), b = rnd64();
        if (i == 0) {
            a = ~0ULL;
            b = ~0ULL;
        }
        uint64_t h1 = mulhi_u64_portable(a, b);
        uint64_t h2 = mulhi_u64_native(a, b);
        int64_t sh = mulhi_s64_native((int64_t)a, (int64_t)b);
        kprintf("mul[%d] %016lx * %016lx = %016lx:%016lx smulh=%016lx %s\n", i, a, b, h2, a * b,
                (uint64_t)sh, h1 == h2 ? "ok" : "MISMATCH");
        cksum_u64(&ck, h2);
        cksum_u64(&ck, (uint64_t)sh);
    }

    section("unsigned division");
    for (int i = 0; i < 24; i++) {
        uint64_t n = rnd64();
        uint64_t d = rnd64();
        d >>= rnd64() & 63; /* two statements: the call order is fixed */
        if (d == 0)
            d = 3;
        uint64_t q = n / d, r = n % d;
        int ok = (q * d + r == n) && r < d;
        uint32_t n32 = (uint32_t)n, d32 = (uint32_t)d | 1u;
        kprintf("udiv[%d] %lu / %lu = %lu r %lu %s | u32 %u / %u = %u r %u\n", i, n, d, q, r,
                ok ? "ok" : "BAD", n32, d32, n32 / d32, n32 % d32);
        cksum_u64(&ck, q);
        cksum_u64(&ck, r);
        cksum_u64(&ck, n32 / d32);
    }

    section("signed division (truncating)");
    {
        static const int64_t nums[] = { 7, -7, 100, -100, 1, -1, 0, 123456789012345LL,
                                        -987654321098765LL, 0x7FFFFFFFFFFFFFFFLL };
        static const int64_t dens[] = { 2, -2, 3, -3, 7, -7, 1000, -1 };
        for (unsigned i = 0; i < sizeof nums / sizeof nums[0]; i++) {
            for (unsigned j = 0; j < sizeof dens / sizeof dens[0]; j++) {
                int64_t q = nums[i] / dens[j], r = nums[i] % dens[j];
                kprintf("sdiv %ld / %ld = %ld r %ld\n", nums[i], dens[j], q, r);
                cksum_u64(&ck, (uint64_t)q);
                cksum_u64(&ck, (uint64_t)r);
            }
        }
        for (int i = 0; i < 12; i++) {
            int32_t n = (int32_t)(uint32_t)rnd64();
            int32_t d = (int32_t)(uint32_t)(rnd64() >> 40) - 0x800000;
            if (d == 0)
                d = -5;
            kprintf("sdiv32 %d / %d = %d r %d\n", n, d, n / d, n % d);
            cksum_u64(&ck, (uint64_t)(int64_t)(n / d));
        }
    }

    section("division corner cases (asm)");
    {
        int64_t min64 = (int64_t)0x8000000000000000ULL;
        int32_t min32 = (int32_t)0x80000000u;
        volatile uint64_t zero = 0;
        kprintf("udiv64 x/0 = %lu\n", asm_udiv64(12345, zero));
        kprintf("sdiv64 x/0 = %ld\n", asm_sdiv64(-12345, (int64_t)zero));
        kprintf("sdiv64 min/-1 = %ld\n", asm_sdiv64(min64, -1));
        kprintf("udiv32 x/0 = %u\n", asm_udiv32(777, (uint32_t)zero));
        kprintf("sdiv32 x/0 = %d\n", asm_sdiv32(-777, (int32_t)zero));
        kprintf("sdiv32 min/-1 = %d\n", asm_sdiv32(min32, -1));
        kprintf("udiv64 max/1 = %lu\n", asm_udiv64(~0ULL, 1));
        kprintf("sdiv64 min/2 = %ld\n", asm_sdiv64(min64, 2));
    }

    section("shifts and conversions");
    {
        int64_t neg = -1000000007LL;
        for (int s = 0; s < 64; s += 7) {
            kprintf("shift %2d: asr=%ld lsr=%lu lsl=%lx\n", s, neg >> s, (uint64_t)neg >> s,
                    (uint64_t)neg << s);
            cksum_u64(&ck, (uint64_t)(neg >> s) + ((uint64_t)neg >> s));
        }
        for (int i = 0; i < 8; i++) {
            uint64_t v = rnd64();
            int8_t s8 = (int8_t)v;
            int16_t s16 = (int16_t)v;
            int32_t s32 = (int32_t)v;
            uint8_t u8 = (uint8_t)v;
            uint16_t u16 = (uint16_t)v;
            uint32_t u32 = (uint32_t)v;
            kprintf("conv %016lx: s8=%d s16=%d s32=%d u8=%u u16=%u u32=%u\n", v, s8, s16, s32, u8,
                    u16, u32);
            int64_t sum = (int64_t)s8 + s16 + s32 + u8 + u16 + (int64_t)u32;
            cksum_u64(&ck, (uint64_t)sum);
        }
    }

    section("gcd lcm");
    for (int i = 0; i < 12; i++) {
        uint64_t a = (rnd64() >> 34) * 6, b = (rnd64() >> 36) * 10;
        uint64_t g1 = gcd_u64(a, b), g2 = gcd_binary(a, b);
        uint64_t l = g1 ? a / g1 * b : 0;
        kprintf("gcd(%lu,%lu) = %lu/%lu lcm=%lu\n", a, b, g1, g2, l);
        cksum_u64(&ck, g1 + l);
    }
    {
        uint64_t fa = 1, fb = 1; /* consecutive Fibonacci numbers are coprime */
        for (int i = 0; i < 80; i++) {
            uint64_t t = fa + fb;
            fa = fb;
            fb = t;
        }
        kprintf("gcd(fib) = %lu (%lu, %lu)\n", gcd_u64(fb, fa), fb, fa);
    }

    section("powmod");
    {
        static const uint32_t mods[] = { 1000000007u, 998244353u, 4294967291u, 65537u, 97u };
        for (unsigned m = 0; m < 5; m++) {
            for (int i = 0; i < 4; i++) {
                uint64_t b = rnd64(), e = rnd64() >> 20;
                uint64_t r = powmod(b, e, mods[m]);
                kprintf("powmod(%lu, %lu, %u) = %lu\n", b, e, mods[m], r);
                cksum_u64(&ck, r);
            }
            /* Fermat: a^(p-1) = 1 mod p for these primes */
            kprintf("fermat(%u) = %lu\n", mods[m], powmod(12345, mods[m] - 1, mods[m]));
        }
    }

    section("roots");
    for (int i = 0; i < 14; i++) {
        uint64_t n = rnd64() >> (i * 4);
        uint64_t s = isqrt_u64(n), c = icbrt_u64(n);
        int sok = s * s <= n && (s + 1) * (s + 1) > n;
        int cok = c * c * c <= n && (c + 1) * (c + 1) * (c + 1) > n;
        kprintf("root(%lu): sqrt=%lu %s cbrt=%lu %s\n", n, s, sok ? "ok" : "BAD", c,
                cok ? "ok" : "BAD");
        cksum_u64(&ck, s ^ (c << 32));
    }
    kprintf("sqrt(max) = %lu cbrt(max) = %lu\n", isqrt_u64(~0ULL), icbrt_u64(~0ULL));

    section("collatz");
    {
        int best = 0;
        uint64_t arg = 0, total = 0;
        for (uint64_t n = 1; n <= 1500; n++) {
            int s = collatz_steps(n);
            total += (uint64_t)s;
            if (s > best) {
                best = s;
                arg = n;
                kprintf("collatz new record: n=%lu steps=%d\n", n, s);
            }
        }
        kprintf("collatz total steps 1..1500 = %lu, longest n=%lu (%d)\n", total, arg, best);
        cksum_u64(&ck, total);
    }

    section("mixed-width accumulate");
    {
        uint64_t acc = 0;
        uint32_t acc32 = 0;
        int64_t sacc = 0;
        for (int i = 0; i < 2000; i++) {
            uint64_t v = rnd64();
            acc += v * (uint64_t)i;
            acc ^= acc >> 17;
            acc32 = acc32 * 31u + (uint32_t)(v >> 7);
            sacc += (int64_t)(int16_t)(v >> 3) * (i - 1000);
            if (i % 250 == 249)
                kprintf("acc[%d] = %016lx %08x %ld\n", i, acc, acc32, sacc);
        }
        cksum_u64(&ck, acc);
        cksum_u64(&ck, acc32);
        cksum_u64(&ck, (uint64_t)sacc);
    }

    kprintf("arith checksum: %08x\n", ck.h);
    kprintf("arith done\n");
    return 0;
}
