/*
 * Oracle driver: runs a64emu oracle cases under qemu-aarch64 (Linux user mode) and records the outcome.
 * Built by tools/oracle/qemu.ts with: aarch64-linux-gnu-gcc -static -O1 -fno-stack-protector
 *
 * Usage: driver IN OUT. IN holds fixed-size case records (struct in_case); OUT receives one result
 * record per case (struct out_head followed by the changed scratch bytes as runs).
 *
 * For each case the driver fills the scratch area from the case seed (the same xoshiro128** stream as
 * tools/oracle/state.ts), writes the instruction words into a code window of UDF #0 words, and enters
 * a loader that sets V0-V31, FPCR, FPSR, NZCV, TPIDR_EL0, SP and X0-X30 and branches to the words. Every case ends in a
 * signal: SIGILL when execution reaches a UDF pad (fall-through or a branch target) or the instruction
 * is UNDEFINED, SIGSEGV/SIGBUS/SIGTRAP when it faults or is BRK. The handler copies the registers from
 * the signal frame (the SIMD&FP state from its fpsimd_context record) and siglongjmp()s back. Nothing is reserved: the loader needs no register after the
 * branch, and the handler restores the C library's TPIDR_EL0 before it touches anything else.
 *
 * Layout constants must match tools/oracle/layout.ts.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#define SCRATCH 0x40100000UL
#define SCRATCH_SIZE 0x1000
#define WINDOW 0x40110000UL
#define WINDOW_SIZE 0x2000
#define TEST_PC (WINDOW + 0x1000)
#define LOADER (WINDOW + WINDOW_SIZE)
#define MAX_WORDS 4

struct in_case {
  uint32_t seed, nwords, words[MAX_WORDS];
  uint64_t x[31], sp, nzcv, tpidr;
  uint64_t fpcr, fpsr, v[64]; /* Vn = v[2n] (bits 63:0), v[2n+1] (bits 127:64) */
};

struct out_head {
  uint32_t signo, code;
  uint64_t pc, addr;
  uint64_t x[31], sp, pstate, tpidr;
  uint32_t scratch_hash, nruns;
  uint64_t fpcr, fpsr, v[64];
};

/* The state block the loader reads; offsets are hard-coded in the loader below. */
struct state { uint64_t x[31], sp, nzcv, tpidr, fpcr, fpsr; uint64_t v[64] __attribute__((aligned(16))); };

_Static_assert(sizeof(struct in_case) == 824, "in_case layout");
_Static_assert(sizeof(struct out_head) == 832, "out_head layout");
_Static_assert(__builtin_offsetof(struct state, v) == 288, "state layout");

/* The signal frame's records (struct _aarch64_ctx, struct fpsimd_context: asm/sigcontext.h, which
 * signal.h includes) follow each other in uc_mcontext.__reserved; the FP/SIMD one is searched for. */

extern char loader_start[], loader_branch[], loader_end[];
__asm__(
  ".text\n.balign 4\n.global loader_start\nloader_start:\n"
  "  add x1, x0, #288\n"
  "  ldp q0, q1, [x1, #0]\n  ldp q2, q3, [x1, #32]\n  ldp q4, q5, [x1, #64]\n  ldp q6, q7, [x1, #96]\n"
  "  ldp q8, q9, [x1, #128]\n  ldp q10, q11, [x1, #160]\n  ldp q12, q13, [x1, #192]\n  ldp q14, q15, [x1, #224]\n"
  "  ldp q16, q17, [x1, #256]\n  ldp q18, q19, [x1, #288]\n  ldp q20, q21, [x1, #320]\n  ldp q22, q23, [x1, #352]\n"
  "  ldp q24, q25, [x1, #384]\n  ldp q26, q27, [x1, #416]\n  ldp q28, q29, [x1, #448]\n  ldp q30, q31, [x1, #480]\n"
  "  ldr x1, [x0, #272]\n  msr fpcr, x1\n"
  "  ldr x1, [x0, #280]\n  msr fpsr, x1\n"
  "  ldr x1, [x0, #248]\n  mov sp, x1\n"
  "  ldr x1, [x0, #256]\n  msr nzcv, x1\n"
  "  ldr x1, [x0, #264]\n  msr tpidr_el0, x1\n"
  "  clrex\n"
  "  ldp x2, x3, [x0, #16]\n  ldp x4, x5, [x0, #32]\n  ldp x6, x7, [x0, #48]\n"
  "  ldp x8, x9, [x0, #64]\n  ldp x10, x11, [x0, #80]\n  ldp x12, x13, [x0, #96]\n"
  "  ldp x14, x15, [x0, #112]\n  ldp x16, x17, [x0, #128]\n  ldp x18, x19, [x0, #144]\n"
  "  ldp x20, x21, [x0, #160]\n  ldp x22, x23, [x0, #176]\n  ldp x24, x25, [x0, #192]\n"
  "  ldp x26, x27, [x0, #208]\n  ldp x28, x29, [x0, #224]\n  ldr x30, [x0, #240]\n"
  "  ldp x0, x1, [x0]\n"
  ".global loader_branch\nloader_branch:\n  b .\n"
  ".global loader_end\nloader_end:\n");

static struct state st;
static struct out_head res;
static sigjmp_buf jb;
static volatile int in_test;
static uint64_t host_tpidr;
static uint8_t initial[SCRATCH_SIZE];

/* xoshiro128** seeded through splitmix32, as tools/oracle/rng.ts. */
static uint32_t splitmix32(uint32_t x) {
  uint32_t z = x + 0x9e3779b9u;
  z = (z ^ (z >> 16)) * 0x85ebca6bu;
  z = (z ^ (z >> 13)) * 0xc2b2ae35u;
  return z ^ (z >> 16);
}
static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }
struct rng { uint32_t s0, s1, s2, s3; };
static void rng_init(struct rng *r, uint32_t seed, uint32_t stream) {
  uint32_t x = seed ^ (stream * 0x632be5abu);
  r->s0 = splitmix32(x); x += 0x9e3779b9u;
  r->s1 = splitmix32(x); x += 0x9e3779b9u;
  r->s2 = splitmix32(x); x += 0x9e3779b9u;
  r->s3 = splitmix32(x);
  if ((r->s0 | r->s1 | r->s2 | r->s3) == 0) r->s0 = 1;
}
static uint32_t rng_next(struct rng *r) {
  uint32_t s1 = r->s1, res = rotl(s1 * 5, 7) * 9, t = s1 << 9;
  r->s2 ^= r->s0; r->s3 ^= r->s1; r->s1 ^= r->s2; r->s0 ^= r->s3; r->s2 ^= t; r->s3 = rotl(r->s3, 11);
  return res;
}
static void fill_scratch(uint32_t seed, uint8_t *out) {
  struct rng r;
  rng_init(&r, seed, 1);
  for (int k = 0; k < SCRATCH_SIZE; k += 4) {
    uint32_t v = rng_next(&r), w;
    switch (v & 15) {
      case 0: w = 0; break;
      case 1: w = 0xffffffffu; break;
      case 2: w = 0x80000000u; break;
      case 3: w = 0x7fffffffu; break;
      case 4: w = rng_next(&r) & 0xff; break;
      case 5: w = (rng_next(&r) & 0xffff) | 0xffff0000u; break;
      default: w = rng_next(&r);
    }
    memcpy(out + k, &w, 4);
  }
}
static uint32_t fnv1a(const uint8_t *b, size_t n) {
  uint32_t h = 0x811c9dc5u;
  for (size_t k = 0; k < n; k++) h = (h ^ b[k]) * 0x01000193u;
  return h;
}

static void handler(int sig, siginfo_t *si, void *vctx) {
  uint64_t tp;
  __asm__ volatile("mrs %0, tpidr_el0" : "=r"(tp));
  __asm__ volatile("msr tpidr_el0, %0" ::"r"(host_tpidr));
  if (!in_test) {
    if (sig == SIGVTALRM) return; /* a timer that fired just after its case ended */
    static const char msg[] = "oracle driver: signal outside a test case\n";
    write(2, msg, sizeof msg - 1);
    _exit(99);
  }
  ucontext_t *uc = vctx;
  in_test = 0;
  res.signo = (uint32_t)sig;
  res.code = (uint32_t)si->si_code;
  res.addr = (uint64_t)si->si_addr;
  for (int k = 0; k < 31; k++) res.x[k] = uc->uc_mcontext.regs[k];
  res.sp = uc->uc_mcontext.sp;
  res.pc = uc->uc_mcontext.pc;
  res.pstate = uc->uc_mcontext.pstate;
  res.tpidr = tp;
  for (struct _aarch64_ctx *h = (struct _aarch64_ctx *)uc->uc_mcontext.__reserved;
       h->magic != 0 && h->size != 0 && (char *)h < (char *)uc->uc_mcontext.__reserved + sizeof uc->uc_mcontext.__reserved;
       h = (struct _aarch64_ctx *)((char *)h + h->size)) {
    if (h->magic != FPSIMD_MAGIC) continue;
    struct fpsimd_context *f = (struct fpsimd_context *)h;
    res.fpcr = f->fpcr;
    res.fpsr = f->fpsr;
    memcpy(res.v, f->vregs, sizeof res.v);
    break;
  }
  /* The case's rounding mode and flush-to-zero must not leak into the C library. */
  __asm__ volatile("msr fpcr, xzr");
  siglongjmp(jb, 1);
}

static void *map_fixed(uint64_t addr, size_t len, int prot) {
  void *p = mmap((void *)addr, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p != (void *)addr) {
    fprintf(stderr, "oracle driver: cannot map 0x%lx\n", (unsigned long)addr);
    exit(2);
  }
  return p;
}

int main(int argc, char **argv) {
  if (argc != 3) { fprintf(stderr, "usage: driver IN OUT\n"); return 2; }
  FILE *in = fopen(argv[1], "rb");
  FILE *out = fopen(argv[2], "wb");
  if (!in || !out) { perror("oracle driver"); return 2; }
  static char obuf[1 << 20];
  setvbuf(out, obuf, _IOFBF, sizeof obuf);

  uint8_t *scratch = map_fixed(SCRATCH, SCRATCH_SIZE, PROT_READ | PROT_WRITE);
  uint32_t *window = map_fixed(WINDOW, WINDOW_SIZE + 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
  memset(window, 0, WINDOW_SIZE + 0x1000); /* UDF #0 everywhere */
  size_t llen = (size_t)(loader_end - loader_start);
  memcpy((void *)LOADER, loader_start, llen);
  uint64_t bpc = LOADER + (uint64_t)(loader_branch - loader_start);
  *(uint32_t *)bpc = 0x14000000u | (uint32_t)(((int64_t)TEST_PC - (int64_t)bpc) / 4 & 0x3ffffff);
  __builtin___clear_cache((char *)WINDOW, (char *)(LOADER + 0x1000));

  static char altstack[1 << 16];
  stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
  if (sigaltstack(&ss, NULL) != 0) { perror("sigaltstack"); return 2; }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
  sigemptyset(&sa.sa_mask);
  int sigs[] = { SIGILL, SIGSEGV, SIGBUS, SIGTRAP, SIGFPE, SIGVTALRM, SIGSYS };
  for (size_t k = 0; k < sizeof sigs / sizeof sigs[0]; k++) sigaction(sigs[k], &sa, NULL);

  __asm__ volatile("mrs %0, tpidr_el0" : "=r"(host_tpidr));

  static struct in_case c;
  while (fread(&c, sizeof c, 1, in) == 1) {
    if (c.nwords > MAX_WORDS) { fprintf(stderr, "oracle driver: bad case\n"); return 2; }
    fill_scratch(c.seed, initial);
    memcpy(scratch, initial, SCRATCH_SIZE);
    uint32_t *tw = (uint32_t *)TEST_PC;
    for (uint32_t k = 0; k < MAX_WORDS; k++) tw[k] = k < c.nwords ? c.words[k] : 0;
    __builtin___clear_cache((char *)tw, (char *)(tw + MAX_WORDS));
    memcpy(st.x, c.x, sizeof st.x);
    st.sp = c.sp; st.nzcv = c.nzcv; st.tpidr = c.tpidr;
    st.fpcr = c.fpcr; st.fpsr = c.fpsr;
    memcpy(st.v, c.v, sizeof st.v);
    memset(&res, 0, sizeof res);
    res.fpcr = res.fpsr = ~0ull; /* a frame without an FP/SIMD record shows */
    /* A case that never ends (a branch loop) is stopped after 1 s of CPU time, so load on the
     * machine cannot fire it spuriously. */
    struct itimerval on = { .it_interval = { 0, 0 }, .it_value = { 1, 0 } }, off = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_VIRTUAL, &on, NULL);
    if (sigsetjmp(jb, 1) == 0) {
      in_test = 1;
      ((void (*)(struct state *))LOADER)(&st);
      __builtin_unreachable();
    }
    setitimer(ITIMER_VIRTUAL, &off, NULL);
    in_test = 0;
    res.scratch_hash = fnv1a(initial, SCRATCH_SIZE);
    /* Changed bytes as runs (offset, length, bytes). */
    uint16_t runs[SCRATCH_SIZE][2];
    uint32_t n = 0;
    for (int k = 0; k < SCRATCH_SIZE;) {
      if (scratch[k] == initial[k]) { k++; continue; }
      int j = k;
      while (j < SCRATCH_SIZE && scratch[j] != initial[j] && j - k < 0xffff) j++;
      runs[n][0] = (uint16_t)k; runs[n][1] = (uint16_t)(j - k); n++;
      k = j;
    }
    res.nruns = n;
    fwrite(&res, sizeof res, 1, out);
    for (uint32_t r = 0; r < n; r++) {
      fwrite(runs[r], 4, 1, out);
      fwrite(scratch + runs[r][0], 1, runs[r][1], out);
    }
  }
  fflush(out);
  return ferror(out) ? 1 : 0;
}
