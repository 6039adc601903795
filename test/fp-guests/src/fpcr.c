/*
 * fpcr.c - code that changes FPCR (rounding mode, flush-to-zero, default
 * NaN, alternative half precision) and reads the cumulative flags in FPSR.
 * The operations are inline assembly, so the compiler cannot move them
 * across the FPCR writes or fold them at compile time.
 */
#include "libmini.h"
#include "fpout.h"

static inline void set_fpcr(uint64_t v) { __asm__ volatile("msr fpcr, %0\n\tisb" : : "r"(v) : "memory"); }
static inline uint64_t get_fpcr(void) { uint64_t v; __asm__ volatile("mrs %0, fpcr" : "=r"(v) : : "memory"); return v; }
static inline void clear_fpsr(void) { __asm__ volatile("msr fpsr, xzr" : : : "memory"); }
static inline uint64_t get_fpsr(void) { uint64_t v; __asm__ volatile("mrs %0, fpsr" : "=r"(v) : : "memory"); return v; }

#define BINOP_D(name, insn)                                                            \
    static double name(double a, double b)                                             \
    {                                                                                  \
        double r;                                                                      \
        __asm__ volatile(insn " %d0, %d1, %d2" : "=w"(r) : "w"(a), "w"(b) : "memory"); \
        return r;                                                                      \
    }
#define BINOP_S(name, insn)                                                            \
    static float name(float a, float b)                                                \
    {                                                                                  \
        float r;                                                                       \
        __asm__ volatile(insn " %s0, %s1, %s2" : "=w"(r) : "w"(a), "w"(b) : "memory"); \
        return r;                                                                      \
    }
BINOP_D(fadd_d, "fadd")
BINOP_D(fmul_d, "fmul")
BINOP_D(fdiv_d, "fdiv")
BINOP_D(fsub_d, "fsub")
BINOP_S(fadd_s, "fadd")
BINOP_S(fmul_s, "fmul")
BINOP_S(fdiv_s, "fdiv")
BINOP_D(fmaxnm_d, "fmaxnm")

static double fmadd_d(double a, double b, double c)
{
    double r;
    __asm__ volatile("fmadd %d0, %d1, %d2, %d3" : "=w"(r) : "w"(a), "w"(b), "w"(c) : "memory");
    return r;
}
static double fsqrt_d(double a)
{
    double r;
    __asm__ volatile("fsqrt %d0, %d1" : "=w"(r) : "w"(a) : "memory");
    return r;
}
static float fcvt_sd(double a)
{
    float r;
    __asm__ volatile("fcvt %s0, %d1" : "=w"(r) : "w"(a) : "memory");
    return r;
}
static uint32_t fcvt_hs(float a)
{
    uint32_t r;
    __asm__ volatile("fcvt h0, %s1\n\tfmov %w0, s0" : "=r"(r) : "w"(a) : "v0", "memory");
    return r;
}
static float fcvt_sh(uint32_t h)
{
    float r;
    __asm__ volatile("fmov s0, %w1\n\tfcvt %s0, h0" : "=w"(r) : "r"(h) : "v0", "memory");
    return r;
}
static double frinti_d(double a)
{
    double r;
    __asm__ volatile("frinti %d0, %d1" : "=w"(r) : "w"(a) : "memory");
    return r;
}
static int64_t fcvtzs_xd(double a)
{
    int64_t r;
    __asm__ volatile("fcvtzs %0, %d1" : "=r"(r) : "w"(a) : "memory");
    return r;
}
static int32_t fcvtns_ws(float a)
{
    int32_t r;
    __asm__ volatile("fcvtns %w0, %s1" : "=r"(r) : "w"(a) : "memory");
    return r;
}
static double scvtf_dx(int64_t a)
{
    double r;
    __asm__ volatile("scvtf %d0, %1" : "=w"(r) : "r"(a) : "memory");
    return r;
}
static float ucvtf_sx(uint64_t a)
{
    float r;
    __asm__ volatile("ucvtf %s0, %1" : "=w"(r) : "r"(a) : "memory");
    return r;
}

static void flags(const char *what)
{
    uint64_t f = get_fpsr();
    kprintf("  %-12s fpsr=%08llx\n", what, (unsigned long long)f);
    clear_fpsr();
}

static void show_d(const char *what, double v)
{
    kprintf("  %-12s %016llx", what, (unsigned long long)dbits(v));
    flags("");
}

static void show_s(const char *what, float v)
{
    kprintf("  %-12s %08x", what, (unsigned)fbits(v));
    flags("");
}

static volatile double third_num = 1.0, third_den = 3.0, big = 1.0e308, tiny = 2.2250738585072014e-308;
static volatile double dnorm = 4.9406564584124654e-322, two = 2.0, zero = 0.0;
static volatile float fbig = 3.0e38f, ftiny = 1.2e-38f, fthird = 0.33333334f, fhalf = 65520.0f;
static volatile int64_t ibig = 0x7ffffffffffffdffll;

static void one_mode(uint64_t fpcr, const char *name)
{
    kprintf("mode %s (fpcr %08llx)\n", name, (unsigned long long)fpcr);
    set_fpcr(fpcr);
    kprintf("  read back fpcr=%08llx\n", (unsigned long long)get_fpcr());
    clear_fpsr();
    show_d("1/3", fdiv_d(third_num, third_den));
    show_d("-1/3", fdiv_d(-third_num, third_den));
    show_d("sqrt2", fsqrt_d(two));
    show_d("overflow", fmul_d(big, 10.0));
    show_d("underflow", fdiv_d(tiny, 3.0e5));
    show_d("denorm+0", fadd_d(dnorm, zero));
    show_d("denorm*2", fmul_d(dnorm, two));
    show_d("0/0", fdiv_d(zero, zero));
    show_d("1/0", fdiv_d(third_num, zero));
    show_d("snan+1", fadd_d(dfrom(0x7ff4000000000123ull), third_num));
    show_d("qnan*snan", fmul_d(dfrom(0xfff8000000000456ull), dfrom(0x7ff0000000000789ull)));
    show_d("maxnm qnan", fmaxnm_d(dfrom(0x7ff8000000000001ull), -third_num));
    show_d("fma", fmadd_d(third_num / 3.0, 3.0, -third_num / 3.0));
    show_d("fma exact", fmadd_d(1.0 + 0x1p-52, 1.0 - 0x1p-52, -1.0));
    show_d("a-a", fsub_d(third_num, third_num));
    show_s("f 1/3", fdiv_s((float)third_num, 3.0f));
    show_s("f ovf", fmul_s(fbig, 2.0f));
    show_s("f tiny*.5", fmul_s(ftiny, 0.5f));
    show_s("f add", fadd_s(fthird, 1e-8f));
    show_s("d->s", fcvt_sd(1.0 / 3.0));
    show_s("d->s tiny", fcvt_sd(tiny));
    kprintf("  %-12s %04x", "s->h", (unsigned)fcvt_hs(fhalf)); flags("");
    kprintf("  %-12s %04x", "s->h 1/3", (unsigned)fcvt_hs(fthird)); flags("");
    show_s("h->s", fcvt_sh(0x7c01));
    show_s("h->s max", fcvt_sh(0x7bff));
    show_d("frinti 2.5", frinti_d(2.5));
    show_d("frinti -3.5", frinti_d(-3.5));
    kprintf("  %-12s %lld", "fcvtzs 1e19", (long long)fcvtzs_xd(1e19)); flags("");
    kprintf("  %-12s %d", "fcvtns 2.5", (int)fcvtns_ws(2.5f)); flags("");
    show_d("scvtf big", scvtf_dx(ibig));
    show_s("ucvtf ~0", ucvtf_sx(~0ull));
}

int main(void)
{
    uart_putline("fpcr: rounding modes, FZ, DN, AHP and FPSR flags");
    static const struct { uint64_t v; const char *n; } modes[] = {
        { 0x00000000, "RN" }, { 0x00400000, "RP" }, { 0x00800000, "RM" }, { 0x00c00000, "RZ" },
        { 0x01000000, "RN+FZ" }, { 0x02000000, "RN+DN" }, { 0x04000000, "RN+AHP" },
        { 0x03c00000, "RZ+FZ+DN" }, { 0x07800000, "RM+FZ+DN+AHP" },
    };
    for (unsigned i = 0; i < sizeof modes / sizeof modes[0]; i++) one_mode(modes[i].v, modes[i].n);
    set_fpcr(0);
    /* the trap enables are RAZ/WI on this core; bits that do not exist read as zero */
    set_fpcr(0xffffffff);
    kprintf("fpcr all ones reads %08llx\n", (unsigned long long)get_fpcr());
    set_fpcr(0);
    __asm__ volatile("msr fpsr, %0" : : "r"((uint64_t)0xffffffff) : "memory");
    kprintf("fpsr all ones reads %08llx\n", (unsigned long long)get_fpsr());
    clear_fpsr();
    uart_putline("fpcr: done");
    return 0;
}
