/*
 * fpnum.c - float and double numerics: matrix multiply, an FFT, and
 * exp/log/sin of our own (range reduction plus polynomials), printed
 * bit-exactly.  Built without -mgeneral-regs-only: the compilers use the
 * FP/SIMD registers freely (fused multiply-add included, where they fuse).
 */
#include "libmini.h"
#include "fpout.h"

#define N 12

static double A[N][N], B[N][N], C[N][N];
static float Af[N][N], Bf[N][N], Cf[N][N];

/* A small linear congruential generator: reproducible inputs. */
static uint32_t rng_state = 12345u;
static uint32_t rng(void)
{
    rng_state = rng_state * 1664525u + 1013904223u;
    return rng_state;
}
static double rnd_unit(void) { return (double)(rng() >> 8) / 16777216.0 - 0.5; }

static void matmul(void)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = rnd_unit() * 3.0;
            B[i][j] = rnd_unit() / 7.0;
            Af[i][j] = (float)A[i][j];
            Bf[i][j] = (float)B[i][j];
        }
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            double s = 0;
            float sf = 0;
            for (int k = 0; k < N; k++) {
                s += A[i][k] * B[k][j];
                sf += Af[i][k] * Bf[k][j];
            }
            C[i][j] = s;
            Cf[i][j] = sf;
        }
    double tr = 0, fro = 0;
    float trf = 0;
    for (int i = 0; i < N; i++) {
        tr += C[i][i];
        trf += Cf[i][i];
        for (int j = 0; j < N; j++) fro += C[i][j] * C[i][j];
    }
    put_d("matmul trace", tr);
    put_d("matmul frobenius^2", fro);
    put_f("matmul trace (float)", trf);
    put_d("C[3][7]", C[3][7]);
    put_f("Cf[5][2]", Cf[5][2]);
}

/* ---- exp, log, sin of our own ---- */

static double my_exp(double x)
{
    /* exp(x) = 2^k * exp(r), r = x - k ln2, |r| <= ln2/2 */
    const double ln2 = 0.69314718055994530942;
    double kf = x / ln2;
    long k = (long)(kf < 0 ? kf - 0.5 : kf + 0.5);
    double r = x - (double)k * ln2;
    double term = 1, sum = 1;
    for (int i = 1; i < 18; i++) {
        term *= r / i;
        sum += term;
    }
    uint64_t scale = (uint64_t)(k + 1023) << 52;
    return sum * dfrom(scale);
}

static double my_log(double x)
{
    /* x = m 2^e with m in [1,2); log(m) via atanh series of (m-1)/(m+1) */
    uint64_t u = dbits(x);
    int e = (int)((u >> 52) & 0x7ff) - 1023;
    double m = dfrom((u & 0x000fffffffffffffull) | 0x3ff0000000000000ull);
    if (m > 1.41421356237309504880) { m *= 0.5; e++; }
    double t = (m - 1) / (m + 1), t2 = t * t, s = 0, p = t;
    for (int i = 1; i < 40; i += 2) {
        s += p / i;
        p *= t2;
    }
    return 2 * s + e * 0.69314718055994530942;
}

static double my_sin(double x)
{
    const double pi = 3.14159265358979323846;
    double k = (double)(long)(x / (2 * pi));
    x -= k * 2 * pi;
    if (x > pi) x -= 2 * pi;
    if (x < -pi) x += 2 * pi;
    double x2 = x * x, term = x, sum = x;
    for (int i = 1; i < 14; i++) {
        term *= -x2 / ((2 * i) * (2 * i + 1));
        sum += term;
    }
    return sum;
}

static double my_cos(double x) { return my_sin(x + 1.57079632679489661923); }

static void elementary(void)
{
    static const double xs[] = { 0.0, 0.5, 1.0, -2.25, 10.0, 123.456, -700.5, 1e-3 };
    for (unsigned i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        kprintf("x[%u]\n", i);
        put_d("  exp", my_exp(xs[i] / 4));
        if (xs[i] > 0) put_d("  log", my_log(xs[i]));
        put_d("  sin", my_sin(xs[i]));
        put_d("  sqrt|x|", __builtin_sqrt(xs[i] < 0 ? -xs[i] : xs[i]));
    }
    float f = 1.0f;
    for (int i = 0; i < 30; i++) f = f * 1.1f + 0.3f / (f + 1.0f);
    put_f("float recurrence", f);
}

/* ---- radix-2 FFT on 64 points ---- */

#define FN 64
static double re[FN], im[FN];

static void fft(void)
{
    for (int i = 0; i < FN; i++) {
        re[i] = my_sin(i * 0.3) + 0.5 * my_cos(i * 1.7) + (i % 5 == 0 ? 1.0 : 0.0);
        im[i] = 0;
    }
    /* bit reversal */
    for (int i = 1, j = 0; i < FN; i++) {
        int bit = FN >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) {
            double t = re[i]; re[i] = re[j]; re[j] = t;
            t = im[i]; im[i] = im[j]; im[j] = t;
        }
    }
    for (int len = 2; len <= FN; len <<= 1) {
        double ang = -2 * 3.14159265358979323846 / len;
        double wr = my_cos(ang), wi = my_sin(ang);
        for (int i = 0; i < FN; i += len) {
            double cr = 1, ci = 0;
            for (int j = 0; j < len / 2; j++) {
                double ur = re[i + j], ui = im[i + j];
                double vr = re[i + j + len / 2] * cr - im[i + j + len / 2] * ci;
                double vi = re[i + j + len / 2] * ci + im[i + j + len / 2] * cr;
                re[i + j] = ur + vr; im[i + j] = ui + vi;
                re[i + j + len / 2] = ur - vr; im[i + j + len / 2] = ui - vi;
                double ncr = cr * wr - ci * wi;
                ci = cr * wi + ci * wr;
                cr = ncr;
            }
        }
    }
    double energy = 0;
    for (int i = 0; i < FN; i++) energy += re[i] * re[i] + im[i] * im[i];
    put_d("fft energy", energy);
    put_d("fft re[1]", re[1]);
    put_d("fft im[7]", im[7]);
    put_d("fft re[32]", re[32]);
}

/* ---- conversions and corner values ---- */

static volatile double vd[] = { 1.5, -2.5, 3.5e9, -1e19, 2.0e19, 0.1, 1e-310, -0.0 };
static volatile float vf[] = { 2.5f, -3.5f, 1e10f, 3.4e38f, 1e-40f, 16777217.0f };

static void conversions(void)
{
    for (unsigned i = 0; i < sizeof vd / sizeof vd[0]; i++) {
        double d = vd[i];
        kprintf("d[%u] i32=%d i64=%lld u32=%u u64=%llu f=%08x\n", i, (int)(d > 3e9 || d < -3e9 ? 0 : d),
                (long long)(d > 9e18 || d < -9e18 ? 0 : d), (unsigned)(d < 0 || d > 4e9 ? 0 : d),
                (unsigned long long)(d < 0 || d > 1.8e19 ? 0 : d), (unsigned)fbits((float)d));
    }
    for (unsigned i = 0; i < sizeof vf / sizeof vf[0]; i++) {
        float f = vf[i];
        kprintf("f[%u] d=%016llx i=%d\n", i, (unsigned long long)dbits((double)f), (int)(f > 2e9f || f < -2e9f ? 7 : f));
    }
    long long big = 0x7ffffffffffffc01ll;
    kprintf("i64->d %016llx i64->f %08x u64->d %016llx\n", (unsigned long long)dbits((double)big),
            (unsigned)fbits((float)big), (unsigned long long)dbits((double)(unsigned long long)-1ll));
}

int main(void)
{
    uart_putline("fpnum: float and double numerics");
    matmul();
    elementary();
    fft();
    conversions();
    uart_putline("fpnum: done");
    return 0;
}
