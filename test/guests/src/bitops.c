/*
 * bitops.c - bit manipulation: population count (three ways), count
 * leading/trailing zeros, rotations, bit reversal (loop, mask swaps, RBIT),
 * byte swaps, lowest-bit tricks, Gosper's hack, parity, Gray code, Morton
 * interleave, bit-field extract/insert (shifts and C bit-fields), sign
 * extension of arbitrary width, and a bitset sieve.
 */
#include "libmini.h"

int main(void);

static uint64_t rng = 88172645463325252ULL;

static uint64_t xorshift64(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static cksum_t ck;

/* ------------------------------------------------------------ popcount */
static int pop_loop(uint64_t x)
{
    int n = 0;
    for (int i = 0; i < 64; i++)
        n += (int)((x >> i) & 1);
    return n;
}

static int pop_kernighan(uint64_t x)
{
    int n = 0;
    while (x) {
        x &= x - 1;
        n++;
    }
    return n;
}

static int pop_swar(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ULL);
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (int)((x * 0x0101010101010101ULL) >> 56);
}

/* ------------------------------------------------------------ clz / ctz */
static int clz_loop(uint64_t x)
{
    int n = 0;
    for (int i = 63; i >= 0; i--) {
        if ((x >> i) & 1)
            break;
        n++;
    }
    return n;
}

static int clz_binary(uint64_t x)
{
    if (x == 0)
        return 64;
    int n = 0;
    if ((x & 0xFFFFFFFF00000000ULL) == 0) { n += 32; x <<= 32; }
    if ((x & 0xFFFF000000000000ULL) == 0) { n += 16; x <<= 16; }
    if ((x & 0xFF00000000000000ULL) == 0) { n += 8; x <<= 8; }
    if ((x & 0xF000000000000000ULL) == 0) { n += 4; x <<= 4; }
    if ((x & 0xC000000000000000ULL) == 0) { n += 2; x <<= 2; }
    if ((x & 0x8000000000000000ULL) == 0) { n += 1; }
    return n;
}

static int clz_builtin(uint64_t x)
{
    return x ? __builtin_clzll(x) : 64;
}

static int ctz_loop(uint64_t x)
{
    if (x == 0)
        return 64;
    int n = 0;
    while ((x & 1) == 0) {
        x >>= 1;
        n++;
    }
    return n;
}

static int ctz_builtin(uint64_t x)
{
    return x ? __builtin_ctzll(x) : 64;
}

static int clz32_asm(uint32_t x)
{
    uint32_t r;
    __asm__("clz %w0, %w1" : "=r"(r) : "r"(x));
    return (int)r;
}

static int cls64_asm(uint64_t x)
{
    uint64_t r;
    __asm__("cls %0, %1" : "=r"(r) : "r"(x));
    return (int)r;
}

/* ------------------------------------------------------------ rotations */
static uint64_t rol64(uint64_t x, unsigned r)
{
    r &= 63;
    return (x << r) | (x >> ((64 - r) & 63));
}

static uint64_t ror64(uint64_t x, unsigned r)
{
    r &= 63;
    return (x >> r) | (x << ((64 - r) & 63));
}

static uint32_t rol32(uint32_t x, unsigned r)
{
    r &= 31;
    return (x << r) | (x >> ((32 - r) & 31));
}

static uint32_t ror32(uint32_t x, unsigned r)
{
    r &= 31;
    return (x >> r) | (x << ((32 - r) & 31));
}

/* ------------------------------------------------------------ reversal */
static uint64_t rev_loop(uint64_t x)
{
    uint64_t r = 0;
    for (int i = 0; i < 64; i++) {
        r = (r << 1) | (x & 1);
        x >>= 1;
    }
    return r;
}

static uint64_t rev_masks(uint64_t x)
{
    x = ((x >> 1) & 0x5555555555555555ULL) | ((x & 0x5555555555555555ULL) << 1);
    x = ((x >> 2) & 0x3333333333333333ULL) | ((x & 0x3333333333333333ULL) << 2);
    x = ((x >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((x & 0x0F0F0F0F0F0F0F0FULL) << 4);
    x = ((x >> 8) & 0x00FF00FF00FF00FFULL) | ((x & 0x00FF00FF00FF00FFULL) << 8);
    x = ((x >> 16) & 0x0000FFFF0000FFFFULL) | ((x & 0x0000FFFF0000FFFFULL) << 16);
    return (x >> 32) | (x << 32);
}

static uint64_t rev_asm(uint64_t x)
{
    uint64_t r;
    __asm__("rbit %0, %1" : "=r"(r) : "r"(x));
    return r;
}

static uint32_t rev32_asm(uint32_t x)
{
    uint32_t r;
    __asm__("rbit %w0, %w1" : "=r"(r) : "r"(x));
    return r;
}

static uint64_t bswap_manual(uint64_t x)
{
    uint64_t r = 0;
    for (int i = 0; i < 8; i++) {
        r = (r << 8) | (x & 0xFF);
        x >>= 8;
    }
    return r;
}

static uint64_t rev16_asm(uint64_t x)
{
    uint64_t r;
    __asm__("rev16 %0, %1" : "=r"(r) : "r"(x));
    return r;
}

static uint64_t rev32_of64_asm(uint64_t x)
{
    uint64_t r;
    __asm__("rev32 %0, %1" : "=r"(r) : "r"(x));
    return r;
}

/* ------------------------------------------------------------ misc */
static int parity64(uint64_t x)
{
    x ^= x >> 32;
    x ^= x >> 16;
    x ^= x >> 8;
    x ^= x >> 4;
    x ^= x >> 2;
    x ^= x >> 1;
    return (int)(x & 1);
}

static uint32_t gray_enc(uint32_t x)
{
    return x ^ (x >> 1);
}

static uint32_t gray_dec(uint32_t g)
{
    uint32_t x = g;
    for (int s = 1; s < 32; s <<= 1)
        x ^= x >> s;
    return x;
}

static uint32_t spread16(uint32_t x)
{
    x &= 0xFFFF;
    x = (x | (x << 8)) & 0x00FF00FF;
    x = (x | (x << 4)) & 0x0F0F0F0F;
    x = (x | (x << 2)) & 0x33333333;
    x = (x | (x << 1)) & 0x55555555;
    return x;
}

static uint32_t compact16(uint32_t x)
{
    x &= 0x55555555;
    x = (x | (x >> 1)) & 0x33333333;
    x = (x | (x >> 2)) & 0x0F0F0F0F;
    x = (x | (x >> 4)) & 0x00FF00FF;
    x = (x | (x >> 8)) & 0x0000FFFF;
    return x;
}

static uint64_t extract(uint64_t x, unsigned lsb, unsigned width)
{
    uint64_t mask = width >= 64 ? ~0ULL : ((1ULL << width) - 1);
    return (x >> lsb) & mask;
}

static uint64_t insert(uint64_t x, uint64_t v, unsigned lsb, unsigned width)
{
    uint64_t mask = (width >= 64 ? ~0ULL : ((1ULL << width) - 1)) << lsb;
    return (x & ~mask) | ((v << lsb) & mask);
}

static int64_t sign_extend(uint64_t x, unsigned width)
{
    uint64_t m = 1ULL << (width - 1);
    x &= (width >= 64) ? ~0ULL : ((1ULL << width) - 1);
    return (int64_t)((x ^ m) - m);
}

struct fields {
    unsigned a : 3;
    unsigned b : 7;
    signed c : 5;
    unsigned d : 13;
    unsigned e : 4;
};

static uint64_t next_combination(uint64_t x)
{
    /* Gosper's hack: next larger value with the same popcount */
    uint64_t c = x & (0 - x);
    uint64_t r = x + c;
    return (((r ^ x) >> 2) / c) | r;
}

static uint32_t sieve_bits[(10000 + 31) / 32];

int main(void)
{
    cksum_init(&ck);
    kprintf("bitops: bit manipulation test\n");

    kprintf("== popcount / clz / ctz / cls\n");
    for (int i = 0; i < 48; i++) {
        uint64_t x = xorshift64();
        if (i < 4)
            x = (uint64_t[]){ 0, ~0ULL, 1, 0x8000000000000000ULL }[i];
        else
            x >>= (i * 5) % 64;
        int p1 = pop_loop(x), p2 = pop_kernighan(x), p3 = pop_swar(x);
        int z1 = clz_loop(x), z2 = clz_binary(x), z3 = clz_builtin(x);
        int t1 = ctz_loop(x), t2 = ctz_builtin(x);
        int cl = cls64_asm(x), c32 = clz32_asm((uint32_t)x);
        int ok = p1 == p2 && p2 == p3 && z1 == z2 && z2 == z3 && t1 == t2;
        kprintf("x=%016lx pop=%2d clz=%2d ctz=%2d cls=%2d clz32=%2d %s\n", x, p1, z1, t1, cl, c32,
                ok ? "ok" : "MISMATCH");
        cksum_u64(&ck, (uint64_t)(p1 | z1 << 8 | t1 << 16 | cl << 24) | (uint64_t)c32 << 32);
    }

    kprintf("== rotations\n");
    for (unsigned r = 0; r < 70; r += 5) {
        uint64_t x = 0x0123456789ABCDEFULL;
        uint32_t y = 0xDEADBEEFu;
        uint64_t a = rol64(x, r), b = ror64(x, r);
        uint32_t c = rol32(y, r), d = ror32(y, r);
        int ok = ror64(a, r) == x && rol32(d, r) == y;
        kprintf("rot %2u: rol64=%016lx ror64=%016lx rol32=%08x ror32=%08x %s\n", r, a, b, c, d,
                ok ? "ok" : "BAD");
        cksum_u64(&ck, a ^ b ^ c ^ ((uint64_t)d << 32));
    }

    kprintf("== bit reversal / byte swap\n");
    for (int i = 0; i < 24; i++) {
        uint64_t x = xorshift64() >> (i % 8);
        uint64_t r1 = rev_loop(x), r2 = rev_masks(x), r3 = rev_asm(x);
        uint64_t s1 = __builtin_bswap64(x), s2 = bswap_manual(x);
        uint32_t b32 = __builtin_bswap32((uint32_t)x);
        uint16_t b16 = __builtin_bswap16((uint16_t)x);
        uint32_t rb32 = rev32_asm((uint32_t)x);
        kprintf("x=%016lx rbit=%016lx rbit32=%08x rev=%016lx rev32=%08x rev16=%04x %s\n", x, r1,
                rb32, s1, b32, b16, (r1 == r2 && r2 == r3 && s1 == s2) ? "ok" : "MISMATCH");
        kprintf("   rev16(x)=%016lx rev32(x)=%016lx\n", rev16_asm(x), rev32_of64_asm(x));
        cksum_u64(&ck, r1 + s1 + b32 + b16 + rb32);
        cksum_u64(&ck, rev16_asm(x) ^ rev32_of64_asm(x));
    }

    kprintf("== lowest-bit tricks\n");
    for (int i = 0; i < 16; i++) {
        uint64_t x = xorshift64();
        x &= xorshift64();
        uint64_t iso = x & (0 - x);      /* isolate lowest set */
        uint64_t clr = x & (x - 1);      /* clear lowest set */
        uint64_t fill = x | (x - 1);     /* fill trailing zeros */
        uint64_t low0 = ~x & (x + 1);    /* isolate lowest clear */
        int pow2 = x != 0 && (x & (x - 1)) == 0;
        kprintf("x=%016lx iso=%016lx clr=%016lx fill=%016lx low0=%016lx p2=%d par=%d\n", x, iso,
                clr, fill, low0, pow2, parity64(x));
        cksum_u64(&ck, iso ^ clr ^ fill ^ low0);
    }

    kprintf("== gosper combinations (5 of 10)\n");
    {
        uint64_t x = 0x1F, count = 0, sum = 0;
        while (x < (1u << 10)) {
            if (count < 8 || count % 40 == 0)
                kprintf("comb %3lu: %03lx\n", count, x);
            sum += x * (count + 1);
            count++;
            x = next_combination(x);
        }
        kprintf("combinations=%lu weighted sum=%lu\n", count, sum);
        cksum_u64(&ck, count ^ sum);
    }

    kprintf("== gray code\n");
    {
        uint32_t ok = 1, acc = 0;
        for (uint32_t i = 0; i < 4096; i++) {
            uint32_t g = gray_enc(i);
            if (gray_dec(g) != i)
                ok = 0;
            if (i > 0 && pop_swar(g ^ gray_enc(i - 1)) != 1)
                ok = 0;
            acc = acc * 33u + g;
            if (i < 16)
                kprintf("gray %2u -> %04x\n", i, g);
        }
        kprintf("gray 0..4095 %s acc=%08x dec(ffffffff)=%08x\n", ok ? "ok" : "BAD", acc,
                gray_dec(0xFFFFFFFFu));
        cksum_u64(&ck, acc);
    }

    kprintf("== morton interleave\n");
    for (int i = 0; i < 12; i++) {
        uint32_t v = (uint32_t)xorshift64();
        uint32_t x = v & 0xFFFF, y = v >> 16;
        uint32_t m = spread16(x) | (spread16(y) << 1);
        int ok = compact16(m) == x && compact16(m >> 1) == y;
        kprintf("morton(%5u,%5u) = %08x %s\n", x, y, m, ok ? "ok" : "BAD");
        cksum_u64(&ck, m);
    }

    kprintf("== bit fields\n");
    for (int i = 0; i < 16; i++) {
        uint64_t x = xorshift64();
        unsigned lsb = (unsigned)(x >> 58);
        unsigned width = 1 + (unsigned)((x >> 52) & 63) % (64 - lsb);
        uint64_t e = extract(x, lsb, width);
        int64_t se = sign_extend(e, width);
        uint64_t ins = insert(x, ~e, lsb, width);
        kprintf("x=%016lx lsb=%2u w=%2u ubfx=%lx sbfx=%ld ins=%016lx\n", x, lsb, width, e, se, ins);
        cksum_u64(&ck, e ^ (uint64_t)se ^ ins);
    }
    for (int i = 0; i < 10; i++) {
        uint32_t v = (uint32_t)xorshift64();
        struct fields f;
        f.a = v & 7;
        f.b = (v >> 3) & 0x7F;
        f.c = (int)((v >> 10) & 0x1F) - 16;
        f.d = (v >> 15) & 0x1FFF;
        f.e = (v >> 28) & 0xF;
        f.a = f.a + 5;   /* wraps in 3 bits */
        f.b = f.b ^ 0x55;
        f.d = f.d * 3;   /* wraps in 13 bits */
        int sum = (int)f.a + (int)f.b + f.c + (int)f.d + (int)f.e;
        kprintf("fields v=%08x a=%u b=%u c=%d d=%u e=%u sum=%d\n", v, (unsigned)f.a,
                (unsigned)f.b, (int)f.c, (unsigned)f.d, (unsigned)f.e, sum);
        cksum_u64(&ck, (uint64_t)(int64_t)sum);
    }

    kprintf("== bitset sieve\n");
    {
        const uint32_t N = 10000;
        for (uint32_t i = 0; i < (N + 31) / 32; i++)
            sieve_bits[i] = 0;
        sieve_bits[0] |= 3; /* 0 and 1 are not prime */
        for (uint32_t p = 2; p * p < N; p++) {
            if (sieve_bits[p >> 5] & (1u << (p & 31)))
                continue;
            for (uint32_t m = p * p; m < N; m += p)
                sieve_bits[m >> 5] |= 1u << (m & 31);
        }
        uint32_t count = 0, last = 0;
        for (uint32_t i = 0; i < N; i++) {
            if (!(sieve_bits[i >> 5] & (1u << (i & 31)))) {
                count++;
                last = i;
                if (count <= 20 || count % 100 == 0)
                    kprintf("prime #%u = %u\n", count, i);
            }
        }
        uint32_t bits_set = 0;
        for (uint32_t i = 0; i < (N + 31) / 32; i++)
            bits_set += (uint32_t)pop_swar(sieve_bits[i]);
        kprintf("primes below %u: %u (last %u), composite bits set %u\n", N, count, last,
                bits_set);
        cksum_u64(&ck, count + ((uint64_t)last << 32));
    }

    kprintf("bitops checksum: %08x\n", ck.h);
    kprintf("bitops done\n");
    return 0;
}
