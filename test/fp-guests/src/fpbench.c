/*
 * fpbench.c - a floating-point workload for `npm run bench`, long enough
 * to time: single- and double-precision matrix multiply, a Jacobi
 * relaxation and an N-body step loop, with a checksum of the results.
 */
#include "libmini.h"
#include "fpout.h"

#define M 24

static double a[M][M], b[M][M], c[M][M];
static float af[M][M], bf[M][M], cf[M][M];
static double grid[2][M][M];

#define NB 16
static double px[NB], py[NB], pz[NB], vx[NB], vy[NB], vz[NB], mass[NB];

static void init(void)
{
    uint32_t s = 99;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) {
            s = s * 1103515245u + 12345u;
            a[i][j] = (double)(s >> 16) / 65536.0 - 0.5;
            s = s * 1103515245u + 12345u;
            b[i][j] = (double)(s >> 16) / 65536.0 - 0.5;
            af[i][j] = (float)a[i][j];
            bf[i][j] = (float)b[i][j];
            grid[0][i][j] = (i == 0 || j == 0) ? 1.0 : 0.0;
        }
    for (int k = 0; k < NB; k++) {
        px[k] = k * 0.7; py[k] = (k % 3) * 1.3; pz[k] = (k % 5) * 0.4;
        vx[k] = vy[k] = vz[k] = 0; mass[k] = 1.0 + k * 0.01;
    }
}

static void matmul(void)
{
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) {
            double s = 0;
            float sf = 0;
            for (int k = 0; k < M; k++) { s += a[i][k] * b[k][j]; sf += af[i][k] * bf[k][j]; }
            c[i][j] = s; cf[i][j] = sf;
        }
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) { a[i][j] = c[i][j] * 0.25 + a[i][j]; af[i][j] = cf[i][j] * 0.25f + af[i][j]; }
}

static void jacobi(int it)
{
    int from = it & 1, to = from ^ 1;
    for (int i = 1; i < M - 1; i++)
        for (int j = 1; j < M - 1; j++)
            grid[to][i][j] = 0.25 * (grid[from][i - 1][j] + grid[from][i + 1][j] + grid[from][i][j - 1] + grid[from][i][j + 1]);
    for (int i = 0; i < M; i++) { grid[to][i][0] = grid[from][i][0]; grid[to][0][i] = grid[from][0][i]; }
}

static void nbody(void)
{
    for (int i = 0; i < NB; i++) {
        double fx = 0, fy = 0, fz = 0;
        for (int j = 0; j < NB; j++) {
            if (j == i) continue;
            double dx = px[j] - px[i], dy = py[j] - py[i], dz = pz[j] - pz[i];
            double r2 = dx * dx + dy * dy + dz * dz + 0.01;
            double inv = 1.0 / (r2 * __builtin_sqrt(r2));
            fx += dx * inv * mass[j]; fy += dy * inv * mass[j]; fz += dz * inv * mass[j];
        }
        vx[i] += fx * 0.001; vy[i] += fy * 0.001; vz[i] += fz * 0.001;
    }
    for (int i = 0; i < NB; i++) { px[i] += vx[i] * 0.001; py[i] += vy[i] * 0.001; pz[i] += vz[i] * 0.001; }
}

int main(void)
{
    uart_putline("fpbench: matmul, jacobi, n-body");
    init();
    for (int r = 0; r < 30; r++) {
        matmul();
        for (int k = 0; k < 10; k++) jacobi(k);
        for (int k = 0; k < 20; k++) nbody();
    }
    double s = 0;
    float sf = 0;
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) { s += c[i][j] + grid[0][i][j]; sf += cf[i][j]; }
    for (int k = 0; k < NB; k++) s += px[k] + py[k] * 2 + pz[k] * 3;
    put_d("fpbench checksum", s);
    put_f("fpbench float checksum", sf);
    return 0;
}
