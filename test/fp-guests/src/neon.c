/*
 * neon.c - Advanced SIMD through arm_neon.h intrinsics: integer lanes
 * (widening, narrowing, saturating, shifts, permutes, table lookups,
 * across-lane reductions) and FP lanes (fused multiply-add, estimates and
 * their Newton steps, conversions, pairwise and across-lane min/max).
 */
#include <arm_neon.h>
#include "libmini.h"
#include "fpout.h"

static void put_u8x16(const char *name, uint8x16_t v)
{
    uint8_t b[16];
    vst1q_u8(b, v);
    uart_puts(name);
    for (int i = 0; i < 16; i++) { uart_putc(' '); put_hex_u64(b[i], 2); }
    uart_putc('\n');
}

static void put_u32x4(const char *name, uint32x4_t v)
{
    uint32_t w[4];
    vst1q_u32(w, v);
    uart_puts(name);
    for (int i = 0; i < 4; i++) { uart_putc(' '); put_hex_u64(w[i], 8); }
    uart_putc('\n');
}

static void put_u64x2(const char *name, uint64x2_t v)
{
    uint64_t w[2];
    vst1q_u64(w, v);
    uart_puts(name);
    for (int i = 0; i < 2; i++) { uart_putc(' '); put_hex_u64(w[i], 16); }
    uart_putc('\n');
}

static volatile uint8_t seed_bytes[48];

static void integer_lanes(void)
{
    for (int i = 0; i < 48; i++) seed_bytes[i] = (uint8_t)(i * 37 + 11) ^ (uint8_t)(i << 5);
    uint8_t tmp[48];
    for (int i = 0; i < 48; i++) tmp[i] = seed_bytes[i];
    uint8x16_t x = vld1q_u8(tmp), y = vld1q_u8(tmp + 16), z = vld1q_u8(tmp + 32);

    put_u8x16("add    ", vaddq_u8(x, y));
    put_u8x16("qadd   ", vqaddq_u8(x, y));
    put_u8x16("qsub s ", vreinterpretq_u8_s8(vqsubq_s8(vreinterpretq_s8_u8(x), vreinterpretq_s8_u8(y))));
    put_u8x16("abd    ", vabdq_u8(x, z));
    put_u8x16("hadd   ", vrhaddq_u8(y, z));
    put_u8x16("cnt    ", vcntq_u8(x));
    put_u8x16("rbit   ", vrbitq_u8(y));
    put_u8x16("cmgt   ", vcgtq_u8(x, y));
    put_u8x16("zip1   ", vzip1q_u8(x, y));
    put_u8x16("uzp2   ", vuzp2q_u8(x, z));
    put_u8x16("trn1   ", vtrn1q_u8(y, z));
    put_u8x16("ext 5  ", vextq_u8(x, y, 5));
    put_u8x16("tbl    ", vqtbl1q_u8(x, vandq_u8(z, vdupq_n_u8(0x1f))));
    uint8x16x2_t pair = { { x, y } };
    put_u8x16("tbx2   ", vqtbx2q_u8(z, pair, vshrq_n_u8(z, 2)));
    put_u8x16("bsl    ", vbslq_u8(z, x, y));
    put_u8x16("shl3   ", vshlq_n_u8(x, 3));
    put_u8x16("sri    ", vsriq_n_u8(x, y, 3));
    put_u8x16("rev64  ", vrev64q_u8(x));

    uint16x8_t wide = vmull_u8(vget_low_u8(x), vget_high_u8(y));
    wide = vmlal_u8(wide, vget_low_u8(z), vget_low_u8(z));
    put_u8x16("mull   ", vreinterpretq_u8_u16(wide));
    put_u8x16("narrow ", vcombine_u8(vqmovn_u16(wide), vrshrn_n_u16(wide, 4)));
    put_u8x16("qshrun ", vcombine_u8(vqshrun_n_s16(vreinterpretq_s16_u16(wide), 3), vmovn_u16(wide)));

    int16x8_t s16 = vreinterpretq_s16_u8(x);
    int16x8_t t16 = vreinterpretq_s16_u8(y);
    put_u8x16("qdmulh ", vreinterpretq_u8_s16(vqdmulhq_s16(s16, t16)));
    put_u8x16("qrdmulh", vreinterpretq_u8_s16(vqrdmulhq_lane_s16(s16, vget_low_s16(t16), 3)));
    put_u8x16("sshl   ", vreinterpretq_u8_s16(vrshlq_s16(s16, vshrq_n_s16(t16, 12))));
    put_u8x16("qshl   ", vreinterpretq_u8_s16(vqshlq_s16(s16, vshrq_n_s16(t16, 13))));
    int32x4_t s32 = vreinterpretq_s32_u8(z);
    put_u32x4("qdmlal ", vreinterpretq_u32_s32(vqdmlal_s16(s32, vget_low_s16(s16), vget_high_s16(t16))));
    put_u32x4("mla lan", vreinterpretq_u32_s32(vmlaq_laneq_s32(s32, s32, vreinterpretq_s32_s16(t16), 2)));
    put_u32x4("paddl  ", vpaddlq_u16(vreinterpretq_u16_u8(x)));
    put_u64x2("uaddlp2", vpaddlq_u32(vreinterpretq_u32_u8(y)));
    put_u64x2("shll   ", vreinterpretq_u64_s64(vshll_n_s32(vget_low_s32(s32), 7)));
    kprintf("addv %u maxv %u minv %d addlv %u\n", (unsigned)vaddvq_u8(x), (unsigned)vmaxvq_u8(y),
            (int)vminvq_s8(vreinterpretq_s8_u8(z)), (unsigned)vaddlvq_u8(z));
    kprintf("umov %u smov %d dup %u\n", (unsigned)vgetq_lane_u8(x, 9), (int)vgetq_lane_s16(s16, 5),
            (unsigned)vgetq_lane_u32(vdupq_laneq_u32(vreinterpretq_u32_u8(z), 3), 0));
    put_u32x4("movi   ", vorrq_u32(vdupq_n_u32(0x00ab0000), vmvnq_u32(vdupq_n_u32(0xff))));
    put_u64x2("ins    ", vsetq_lane_u64(0x1122334455667788ull, vreinterpretq_u64_u8(x), 1));
}

static void float_lanes(void)
{
    static const float fa[8] = { 1.5f, -2.25f, 3.0e10f, 1e-39f, 0.1f, 7.0f, -0.0f, 1e30f };
    static const float fb[8] = { 0.333f, 4.0f, -2.0e10f, 1e-38f, 3.0f, -7.0f, 5.0f, 1e10f };
    float32x4_t a = vld1q_f32(fa), b = vld1q_f32(fb), a2 = vld1q_f32(fa + 4), b2 = vld1q_f32(fb + 4);
    put_u32x4("fadd   ", vreinterpretq_u32_f32(vaddq_f32(a, b)));
    put_u32x4("fmul   ", vreinterpretq_u32_f32(vmulq_f32(a2, b2)));
    put_u32x4("fdiv   ", vreinterpretq_u32_f32(vdivq_f32(a, b)));
    put_u32x4("fma    ", vreinterpretq_u32_f32(vfmaq_f32(a2, a, b)));
    put_u32x4("fms lan", vreinterpretq_u32_f32(vfmsq_laneq_f32(a, a2, b, 1)));
    put_u32x4("fmaxnm ", vreinterpretq_u32_f32(vmaxnmq_f32(a, a2)));
    put_u32x4("fminp  ", vreinterpretq_u32_f32(vpminq_f32(a, b)));
    put_u32x4("fabd   ", vreinterpretq_u32_f32(vabdq_f32(a, b2)));
    put_u32x4("sqrt   ", vreinterpretq_u32_f32(vsqrtq_f32(vabsq_f32(b))));
    float32x4_t e = vrecpeq_f32(b);
    put_u32x4("frecpe ", vreinterpretq_u32_f32(e));
    e = vmulq_f32(e, vrecpsq_f32(b, e));
    put_u32x4("recp 1 ", vreinterpretq_u32_f32(e));
    float32x4_t r = vrsqrteq_f32(vabsq_f32(b));
    put_u32x4("frsqrte", vreinterpretq_u32_f32(r));
    put_u32x4("rsqrts ", vreinterpretq_u32_f32(vrsqrtsq_f32(vmulq_f32(vabsq_f32(b), r), r)));
    put_u32x4("urecpe ", vrecpeq_u32(vreinterpretq_u32_f32(a)));
    put_u32x4("cvtzs  ", vreinterpretq_u32_s32(vcvtq_s32_f32(vmulq_n_f32(a2, 1000.0f))));
    put_u32x4("cvtau  ", vcvtaq_u32_f32(vmulq_n_f32(b2, 0.5f)));
    put_u32x4("cvtn16 ", vreinterpretq_u32_f32(vcvtq_n_f32_s32(vreinterpretq_s32_f32(a), 16)));
    put_u32x4("scvtf  ", vreinterpretq_u32_f32(vcvtq_f32_s32(vreinterpretq_s32_f32(b))));
    put_u32x4("rinta  ", vreinterpretq_u32_f32(vrndaq_f32(vmulq_n_f32(a2, 2.5f))));
    put_u32x4("cmge   ", vcgeq_f32(a, b));
    put_u32x4("acgt   ", vcagtq_f32(a, b2));
    float64x2_t d = vcvt_f64_f32(vget_low_f32(a));
    float64x2_t d2 = vcvt_high_f64_f32(b);
    put_u64x2("fcvtl  ", vreinterpretq_u64_f64(d));
    put_u64x2("fma d  ", vreinterpretq_u64_f64(vfmaq_f64(d2, d, d2)));
    put_u32x4("fcvtn  ", vreinterpretq_u32_f32(vcvt_high_f32_f64(vget_low_f32(a2), vmulq_f64(d, d2))));
    put_u32x4("fcvtxn ", vreinterpretq_u32_f32(vcombine_f32(vcvtx_f32_f64(vdivq_f64(d2, d)), vget_low_f32(b))));
    put_f("maxv   ", vmaxvq_f32(a));
    put_f("minnmv ", vminnmvq_f32(b));
    put_d("addp d ", vaddvq_f64(vdivq_f64(d, d2)));
}

int main(void)
{
    uart_putline("neon: intrinsics");
    integer_lanes();
    float_lanes();
    uart_putline("neon: done");
    return 0;
}
