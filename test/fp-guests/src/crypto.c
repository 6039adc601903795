/*
 * crypto.c - the Cortex-A57 cryptographic extension through intrinsics:
 * AES-128 (FIPS-197 appendix C.1), SHA-1 and SHA-256 of "abc" (FIPS 180
 * examples), and PMULL against a software carry-less multiply.  Built with
 * -march=armv8-a+crypto.
 */
#include <arm_neon.h>
#include "libmini.h"

static void put_bytes(const char *name, const uint8_t *p, int n)
{
    uart_puts(name);
    for (int i = 0; i < n; i++) put_hex_u64(p[i], 2);
    uart_putc('\n');
}

/* ---------------------------------------------------------------- AES-128 */

/* SubWord(w): with all four columns equal, ShiftRows moves nothing, so
 * AESE with a zero round key is just SubBytes on each copy. */
static uint32_t sub_word(uint32_t w)
{
    uint8x16_t s = vaeseq_u8(vreinterpretq_u8_u32(vdupq_n_u32(w)), vdupq_n_u8(0));
    return vgetq_lane_u32(vreinterpretq_u32_u8(s), 0);
}

static void aes_expand(const uint8_t key[16], uint8x16_t rk[11])
{
    static const uint8_t rcon[10] = { 1, 2, 4, 8, 16, 32, 64, 128, 0x1b, 0x36 };
    uint32_t w[44];
    for (int i = 0; i < 4; i++)
        w[i] = (uint32_t)key[4 * i] | (uint32_t)key[4 * i + 1] << 8 | (uint32_t)key[4 * i + 2] << 16 | (uint32_t)key[4 * i + 3] << 24;
    for (int i = 4; i < 44; i++) {
        uint32_t t = w[i - 1];
        if (i % 4 == 0) t = sub_word((t >> 8) | (t << 24)) ^ rcon[i / 4 - 1];
        w[i] = w[i - 4] ^ t;
    }
    for (int r = 0; r < 11; r++) rk[r] = vreinterpretq_u8_u32(vld1q_u32(&w[4 * r]));
}

static void aes_test(void)
{
    uint8_t key[16], pt[16], out[16];
    for (int i = 0; i < 16; i++) { key[i] = (uint8_t)i; pt[i] = (uint8_t)(i * 0x11); }
    uint8x16_t rk[11];
    aes_expand(key, rk);
    uint8x16_t s = vld1q_u8(pt);
    for (int r = 0; r < 9; r++) s = vaesmcq_u8(vaeseq_u8(s, rk[r]));
    s = veorq_u8(vaeseq_u8(s, rk[9]), rk[10]);
    vst1q_u8(out, s);
    put_bytes("aes128 enc ", out, 16);
    static const uint8_t expect[16] = { 0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                        0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a };
    kprintf("aes128 matches FIPS-197 C.1: %s\n", memcmp(out, expect, 16) == 0 ? "yes" : "NO");
    /* decryption: the equivalent inverse cipher, round keys through InvMixColumns */
    s = veorq_u8(vaesdq_u8(s, rk[10]), vdupq_n_u8(0));
    for (int r = 9; r >= 1; r--) s = vaesdq_u8(vaesimcq_u8(s), vaesimcq_u8(rk[r]));
    s = veorq_u8(s, rk[0]);
    vst1q_u8(out, s);
    put_bytes("aes128 dec ", out, 16);
    kprintf("aes128 round trip: %s\n", memcmp(out, pt, 16) == 0 ? "yes" : "NO");
}

/* ---------------------------------------------------------------- SHA */

static void abc_block(uint8_t blk[64])
{
    memset(blk, 0, 64);
    blk[0] = 'a'; blk[1] = 'b'; blk[2] = 'c'; blk[3] = 0x80;
    blk[63] = 24; /* message length in bits, big-endian */
}

static void sha1_test(void)
{
    uint32_t h[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
    static const uint32_t k[4] = { 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6 };
    uint8_t blk[64];
    abc_block(blk);
    uint32x4_t msg[4];
    for (int i = 0; i < 4; i++) msg[i] = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(blk + 16 * i)));
    uint32x4_t abcd = vld1q_u32(h), abcd0 = abcd;
    uint32_t e = h[4];
    for (int g = 0; g < 20; g++) {
        if (g >= 4)
            msg[g % 4] = vsha1su1q_u32(vsha1su0q_u32(msg[g % 4], msg[(g + 1) % 4], msg[(g + 2) % 4]), msg[(g + 3) % 4]);
        uint32x4_t wk = vaddq_u32(msg[g % 4], vdupq_n_u32(k[g / 5]));
        uint32_t e_next = vsha1h_u32(vgetq_lane_u32(abcd, 0));
        if (g < 5) abcd = vsha1cq_u32(abcd, e, wk);
        else if (g < 10 || g >= 15) abcd = vsha1pq_u32(abcd, e, wk);
        else abcd = vsha1mq_u32(abcd, e, wk);
        e = e_next;
    }
    abcd = vaddq_u32(abcd, abcd0);
    e += h[4];
    uint32_t out[5];
    vst1q_u32(out, abcd);
    out[4] = e;
    kprintf("sha1(abc) %08x%08x%08x%08x%08x\n", out[0], out[1], out[2], out[3], out[4]);
}

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static void sha256_test(void)
{
    static const uint32_t h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    uint8_t blk[64];
    abc_block(blk);
    uint32x4_t msg[4];
    for (int i = 0; i < 4; i++) msg[i] = vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(blk + 16 * i)));
    uint32x4_t s0 = vld1q_u32(h0), s1 = vld1q_u32(h0 + 4), i0 = s0, i1 = s1;
    for (int g = 0; g < 16; g++) {
        uint32x4_t wk = vaddq_u32(msg[g % 4], vld1q_u32(&K256[4 * g]));
        uint32x4_t t = s0;
        s0 = vsha256hq_u32(s0, s1, wk);
        s1 = vsha256h2q_u32(s1, t, wk);
        if (g < 12)
            msg[g % 4] = vsha256su1q_u32(vsha256su0q_u32(msg[g % 4], msg[(g + 1) % 4]), msg[(g + 2) % 4], msg[(g + 3) % 4]);
    }
    s0 = vaddq_u32(s0, i0);
    s1 = vaddq_u32(s1, i1);
    uint32_t out[8];
    vst1q_u32(out, s0);
    vst1q_u32(out + 4, s1);
    uart_puts("sha256(abc) ");
    for (int i = 0; i < 8; i++) put_hex_u64(out[i], 8);
    uart_putc('\n');
}

/* ---------------------------------------------------------------- PMULL */

static void clmul64(uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi)
{
    uint64_t l = 0, h = 0;
    for (int i = 0; i < 64; i++)
        if ((b >> i) & 1) {
            l ^= a << i;
            if (i) h ^= a >> (64 - i);
        }
    *lo = l; *hi = h;
}

static void pmull_test(void)
{
    uint64_t a = 0x0123456789abcdefull, b = 0xfedcba9876543210ull;
    int ok = 1;
    for (int r = 0; r < 8; r++) {
        poly128_t p = vmull_p64((poly64_t)a, (poly64_t)b);
        uint64_t lo, hi, plo, phi;
        clmul64(a, b, &lo, &hi);
        memcpy(&plo, &p, 8);
        memcpy(&phi, (char *)&p + 8, 8);
        kprintf("pmull %016llx %016llx = %016llx%016llx\n", (unsigned long long)a, (unsigned long long)b,
                (unsigned long long)phi, (unsigned long long)plo);
        ok &= plo == lo && phi == hi;
        a = a * 6364136223846793005ull + 1442695040888963407ull;
        b ^= a >> 7;
    }
    poly8x8_t x = vcreate_p8(0x8040201008040201ull), y = vcreate_p8(0xfffefdfcfbfaf9f8ull);
    poly16x8_t p8 = vmull_p8(x, y);
    uint64_t w[2];
    memcpy(w, &p8, 16);
    kprintf("pmull.8b %016llx%016llx\n", (unsigned long long)w[1], (unsigned long long)w[0]);
    kprintf("pmull matches software: %s\n", ok ? "yes" : "NO");
}

int main(void)
{
    uart_putline("crypto: AES, SHA-1, SHA-256, PMULL");
    aes_test();
    sha1_test();
    sha256_test();
    pmull_test();
    uart_putline("crypto: done");
    return 0;
}
