/*
 * vecint.c - integer loops the compilers auto-vectorise at -O2/-O3 (and a
 * popcount that libgcc/clang lower to CNT): sums, saxpy, min/max
 * reductions, widening dot products, byte transforms, saturating clamps.
 */
#include "libmini.h"

#define LEN 1024

static int32_t a[LEN], b[LEN], c[LEN];
static int16_t s16a[LEN], s16b[LEN];
static uint8_t bytes[LEN], out8[LEN];
static uint64_t words[LEN / 4];
static uint32_t rng_state = 2024u;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static void fill(void)
{
    for (int i = 0; i < LEN; i++) {
        a[i] = (int32_t)rng() >> 8;
        b[i] = (int32_t)(rng() % 2001) - 1000;
        s16a[i] = (int16_t)rng();
        s16b[i] = (int16_t)(rng() >> 3);
        bytes[i] = (uint8_t)rng();
    }
    for (int i = 0; i < LEN / 4; i++) words[i] = ((uint64_t)rng() << 32) | rng();
}

__attribute__((noinline)) static void saxpy(int32_t k)
{
    for (int i = 0; i < LEN; i++) c[i] = k * a[i] + b[i];
}

__attribute__((noinline)) static int64_t sum32(const int32_t *p)
{
    int64_t s = 0;
    for (int i = 0; i < LEN; i++) s += p[i];
    return s;
}

__attribute__((noinline)) static int32_t maxv(const int32_t *p)
{
    int32_t m = p[0];
    for (int i = 1; i < LEN; i++) m = p[i] > m ? p[i] : m;
    return m;
}

__attribute__((noinline)) static uint32_t minu(const int32_t *p)
{
    uint32_t m = 0xffffffffu;
    for (int i = 0; i < LEN; i++) m = (uint32_t)p[i] < m ? (uint32_t)p[i] : m;
    return m;
}

__attribute__((noinline)) static int64_t dot16(void)
{
    int64_t s = 0;
    for (int i = 0; i < LEN; i++) s += (int32_t)s16a[i] * s16b[i];
    return s;
}

__attribute__((noinline)) static void bytemap(void)
{
    for (int i = 0; i < LEN; i++) {
        unsigned v = bytes[i];
        v = (v * 3u + 7u) >> 1;
        out8[i] = (uint8_t)(v > 255 ? 255 : v);
    }
}

__attribute__((noinline)) static uint32_t absdiff(void)
{
    uint32_t s = 0;
    for (int i = 0; i < LEN; i++) {
        int d = (int)bytes[i] - (int)out8[i];
        s += (uint32_t)(d < 0 ? -d : d);
    }
    return s;
}

__attribute__((noinline)) static void clamp16(void)
{
    for (int i = 0; i < LEN; i++) {
        int32_t v = (int32_t)s16a[i] + s16b[i];
        s16a[i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
    }
}

__attribute__((noinline)) static uint64_t popcount_all(void)
{
    uint64_t n = 0;
    for (int i = 0; i < LEN / 4; i++) n += (uint64_t)__builtin_popcountll(words[i]);
    return n;
}

__attribute__((noinline)) static void shifts(void)
{
    for (int i = 0; i < LEN; i++) c[i] = (a[i] >> 3) ^ (int32_t)((uint32_t)b[i] << 5) ^ (a[i] & b[i]);
}

__attribute__((noinline)) static uint32_t count_eq(void)
{
    uint32_t n = 0;
    for (int i = 0; i < LEN; i++) n += (bytes[i] & 7u) == (out8[i] & 7u);
    return n;
}

int main(void)
{
    cksum_t ck;
    uart_putline("vecint: auto-vectorised integer loops");
    fill();
    saxpy(37);
    kprintf("saxpy sum %lld\n", (long long)sum32(c));
    kprintf("max %d minu %u\n", maxv(c), minu(c));
    kprintf("dot16 %lld\n", (long long)dot16());
    bytemap();
    kprintf("absdiff %u eq %u\n", absdiff(), count_eq());
    clamp16();
    kprintf("dot16 after clamp %lld\n", (long long)dot16());
    kprintf("popcount %llu\n", (unsigned long long)popcount_all());
    shifts();
    cksum_init(&ck);
    cksum_bytes(&ck, c, sizeof c);
    cksum_bytes(&ck, out8, sizeof out8);
    cksum_bytes(&ck, s16a, sizeof s16a);
    kprintf("checksum %08x\n", ck.h);
    uart_putline("vecint: done");
    return 0;
}
