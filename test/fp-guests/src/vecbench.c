/*
 * vecbench.c - an auto-vectorised integer workload for `npm run bench`:
 * byte and halfword image-style filters, a widening dot product, a
 * histogram-free min/max/sum pass and a saturating blend, repeated.
 */
#include "libmini.h"

#define W 256
#define H 32

static uint8_t img[H][W], tmp[H][W];
static int16_t coef[W], samples[W];
static int32_t acc[W];

__attribute__((noinline)) static void blur(void)
{
    for (int y = 1; y < H - 1; y++)
        for (int x = 0; x < W; x++)
            tmp[y][x] = (uint8_t)((img[y - 1][x] + 2 * img[y][x] + img[y + 1][x] + 2) >> 2);
    for (int y = 1; y < H - 1; y++)
        for (int x = 0; x < W; x++) img[y][x] = tmp[y][x];
}

__attribute__((noinline)) static void blend(uint8_t k)
{
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            unsigned v = img[y][x] + k;
            img[y][x] = (uint8_t)(v > 255 ? 255 : v);
        }
}

__attribute__((noinline)) static int64_t dot(void)
{
    int64_t s = 0;
    for (int i = 0; i < W; i++) s += (int32_t)coef[i] * samples[i];
    return s;
}

__attribute__((noinline)) static void mac(void)
{
    for (int i = 0; i < W; i++) acc[i] += coef[i] * samples[(i + 3) & (W - 1)];
}

__attribute__((noinline)) static uint32_t stats(void)
{
    uint8_t mn = 255, mx = 0;
    uint32_t sum = 0;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            uint8_t v = img[y][x];
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
            sum += v;
        }
    return sum ^ ((uint32_t)mn << 24) ^ ((uint32_t)mx << 16);
}

int main(void)
{
    uint32_t s = 7;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) { s = s * 1664525u + 1013904223u; img[y][x] = (uint8_t)(s >> 24); }
    for (int i = 0; i < W; i++) { s = s * 1664525u + 1013904223u; coef[i] = (int16_t)(s >> 18); samples[i] = (int16_t)(s >> 7); }
    uart_putline("vecbench: filters, dot products, saturating blends");
    cksum_t ck;
    cksum_init(&ck);
    int64_t d = 0;
    for (int r = 0; r < 150; r++) {
        blur();
        blend((uint8_t)(r & 15));
        d += dot();
        mac();
        cksum_u64(&ck, stats());
        samples[r & (W - 1)] ^= (int16_t)r;
    }
    cksum_bytes(&ck, acc, sizeof acc);
    kprintf("vecbench dot %lld checksum %08x\n", (long long)d, ck.h);
    return 0;
}
