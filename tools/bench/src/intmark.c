/*
 * intmark.c - a CoreMark-class integer workload for `npm run bench`: each
 * iteration does list processing (find, reverse, merge sort of a linked list
 * held in an array), a 16x16 matrix multiply with additions and bit
 * extraction, a number-recognising state machine over a scanned input
 * string, and a CRC-16 over every result.
 *
 * The iteration count is read from BENCH_PARAM (a 32-bit word the bench
 * writes into RAM: `--load FILE@ADDR` on a64emu, `-device loader,data=...`
 * on QEMU); 0 (nothing loaded) means a short default run.  With several
 * cores (PSCI CPU_ON through the machine guests' run-time), core k runs the
 * iterations i with i % ncores == k, so the total work does not depend on
 * the number of cores, and neither does the printed checksum: each
 * iteration's CRC depends only on i, and the CRCs are summed.
 */
#include "rt.h"

#define BENCH_PARAM 0x4ff00000UL
#define DEFAULT_ITERATIONS 20

/* ------------------------------------------------------------ CRC-16 */
static uint16_t crc16_byte(uint8_t b, uint16_t crc)
{
    crc ^= (uint16_t)b << 8;
    for (int k = 0; k < 8; k++)
        crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
    return crc;
}

static uint16_t crc16_u32(uint32_t v, uint16_t crc)
{
    for (int k = 0; k < 4; k++)
        crc = crc16_byte((uint8_t)(v >> (8 * k)), crc);
    return crc;
}

/* ------------------------------------------------------------ lists */
#define LIST_N 96

struct node {
    struct node *next;
    int16_t data;
    int16_t idx;
};

struct list_ctx {
    struct node pool[LIST_N];
};

static struct node *list_build(struct list_ctx *c, uint32_t seed)
{
    struct node *head = 0;
    for (int k = LIST_N - 1; k >= 0; k--) {
        seed = seed * 1103515245u + 12345u;
        c->pool[k].data = (int16_t)((seed >> 16) & 0x7fff);
        c->pool[k].idx = (int16_t)k;
        c->pool[k].next = head;
        head = &c->pool[k];
    }
    return head;
}

static struct node *list_reverse(struct node *h)
{
    struct node *prev = 0;
    while (h) {
        struct node *n = h->next;
        h->next = prev;
        prev = h;
        h = n;
    }
    return prev;
}

static const struct node *list_find(const struct node *h, int16_t data)
{
    while (h && h->data != data)
        h = h->next;
    return h;
}

/* merge sort by data (then idx), iterative bottom-up, as list sorts are */
static int node_cmp(const struct node *a, const struct node *b)
{
    if (a->data != b->data)
        return a->data < b->data ? -1 : 1;
    return a->idx - b->idx;
}

static struct node *list_sort(struct node *list)
{
    for (int insize = 1;; insize *= 2) {
        struct node *p = list, *tail = 0;
        list = 0;
        int merges = 0;
        while (p) {
            merges++;
            struct node *q = p;
            int psize = 0;
            for (int k = 0; k < insize && q; k++) {
                psize++;
                q = q->next;
            }
            int qsize = insize;
            while (psize > 0 || (qsize > 0 && q)) {
                struct node *e;
                if (psize == 0) { e = q; q = q->next; qsize--; }
                else if (qsize == 0 || !q) { e = p; p = p->next; psize--; }
                else if (node_cmp(p, q) <= 0) { e = p; p = p->next; psize--; }
                else { e = q; q = q->next; qsize--; }
                if (tail) tail->next = e; else list = e;
                tail = e;
            }
            p = q;
        }
        tail->next = 0;
        if (merges <= 1)
            return list;
    }
}

static uint16_t bench_list(uint32_t seed, uint16_t crc)
{
    static struct list_ctx ctxs[MAX_CORES];
    struct list_ctx *c = &ctxs[this_core()];
    struct node *h = list_build(c, seed);
    int found = 0;
    for (int k = 0; k < 16; k++) {
        const struct node *n = list_find(h, c->pool[((uint32_t)k * 7u + seed) % LIST_N].data);
        if (n) found += n->idx;
    }
    crc = crc16_u32((uint32_t)found, crc);
    h = list_reverse(h);
    h = list_sort(h);
    for (const struct node *n = h; n; n = n->next)
        crc = crc16_u32((uint32_t)(uint16_t)n->data ^ ((uint32_t)n->idx << 16), crc);
    h = list_reverse(h);
    crc = crc16_u32((uint32_t)h->data, crc);
    return crc;
}

/* ------------------------------------------------------------ matrix */
#define MAT_N 16

static uint16_t bench_matrix(uint32_t seed, uint16_t crc)
{
    static int16_t as[MAX_CORES][MAT_N * MAT_N], bs[MAX_CORES][MAT_N * MAT_N];
    static int32_t cs[MAX_CORES][MAT_N * MAT_N];
    int16_t *a = as[this_core()], *b = bs[this_core()];
    int32_t *c = cs[this_core()];
    for (int k = 0; k < MAT_N * MAT_N; k++) {
        seed = seed * 1664525u + 1013904223u;
        a[k] = (int16_t)((seed >> 20) - 2048);
        b[k] = (int16_t)((seed >> 8) & 0xfff);
    }
    int16_t konst = (int16_t)(seed & 0xff);
    for (int k = 0; k < MAT_N * MAT_N; k++)
        a[k] = (int16_t)(a[k] + konst);
    for (int i = 0; i < MAT_N; i++)
        for (int j = 0; j < MAT_N; j++) {
            int32_t s = 0;
            for (int k = 0; k < MAT_N; k++)
                s += (int32_t)a[i * MAT_N + k] * (int32_t)b[k * MAT_N + j];
            c[i * MAT_N + j] = s;
        }
    int32_t sum = 0;
    for (int k = 0; k < MAT_N * MAT_N; k++) {
        int32_t bits = (c[k] >> 2) & 0x0f;
        sum += bits > 8 ? bits * c[k] : -c[k];
    }
    crc = crc16_u32((uint32_t)sum, crc);
    for (int k = 0; k < MAT_N * MAT_N; k += 5)
        crc = crc16_u32((uint32_t)c[k], crc);
    return crc;
}

/* ------------------------------------------------------------ state machine */
enum state { S_START, S_INT, S_SIGN, S_DOT, S_FRAC, S_EXP, S_EXPSIGN, S_SCI, S_HEX0, S_HEX, S_INVALID, S_COUNT };

static enum state next_state(enum state s, char ch)
{
    int digit = ch >= '0' && ch <= '9';
    switch (s) {
    case S_START:
        if (ch == '0') return S_HEX0;
        if (digit) return S_INT;
        if (ch == '+' || ch == '-') return S_SIGN;
        if (ch == '.') return S_DOT;
        return S_INVALID;
    case S_SIGN: return digit ? S_INT : ch == '.' ? S_DOT : S_INVALID;
    case S_HEX0: return ch == 'x' ? S_HEX : digit ? S_INT : ch == '.' ? S_DOT : S_INVALID;
    case S_HEX: return (digit || (ch >= 'a' && ch <= 'f')) ? S_HEX : S_INVALID;
    case S_INT: return digit ? S_INT : ch == '.' ? S_DOT : (ch == 'e' || ch == 'E') ? S_EXP : S_INVALID;
    case S_DOT: return digit ? S_FRAC : S_INVALID;
    case S_FRAC: return digit ? S_FRAC : (ch == 'e' || ch == 'E') ? S_EXP : S_INVALID;
    case S_EXP: return digit ? S_SCI : (ch == '+' || ch == '-') ? S_EXPSIGN : S_INVALID;
    case S_EXPSIGN: return digit ? S_SCI : S_INVALID;
    case S_SCI: return digit ? S_SCI : S_INVALID;
    default: return S_INVALID;
    }
}

static uint16_t bench_state(uint32_t seed, uint16_t crc)
{
    static const char *const words[] = {"5012", "1234", "-874", "+122", "0x1f", "0xbeef", "3.14159",
        "-.5e9", "+0.6e-3", "7E12", "1e", "--3", ".", "0x", "12a", "9.9.9", "000", "-0.0", "6e+10", "x"};
    static char bufs[MAX_CORES][256];
    char *buf = bufs[this_core()];
    int n = 0;
    const int nw = (int)(sizeof words / sizeof words[0]);
    while (n < 200) {
        seed = seed * 22695477u + 1u;
        const char *w = words[(seed >> 16) % (uint32_t)nw];
        while (*w && n < 250) buf[n++] = *w++;
        buf[n++] = ',';
    }
    buf[n] = 0;
    uint32_t final_counts[S_COUNT] = {0}, transitions = 0;
    enum state s = S_START;
    for (const char *p = buf; *p; p++) {
        if (*p == ',') {
            final_counts[s]++;
            s = S_START;
            continue;
        }
        enum state t = next_state(s, *p);
        transitions += t != s;
        s = t;
    }
    for (int k = 0; k < S_COUNT; k++)
        crc = crc16_u32(final_counts[k], crc);
    return crc16_u32(transitions, crc);
}

/* ------------------------------------------------------------ driver */
static uint32_t iteration(uint32_t i)
{
    uint32_t seed = i * 2654435761u + 0x9e3779b9u;
    uint16_t crc = 0xffff;
    crc = bench_list(seed, crc);
    crc = bench_matrix(seed ^ 0x5a5a5a5au, crc);
    crc = bench_state(seed >> 3, crc);
    return crc;
}

static uint32_t iterations;
static volatile uint32_t partial[MAX_CORES];
static volatile uint32_t done_count;

static void work(int k)
{
    uint32_t sum = 0;
    for (uint32_t i = (uint32_t)k; i < iterations; i += (uint32_t)ncores)
        sum += iteration(i);
    partial[k] = sum;
    atomic_add32(&done_count, 1);
    sev();
}

int main(void)
{
    if (rt_init() != 0)
        return 1;
    iterations = *(volatile uint32_t *)BENCH_PARAM;
    if (iterations == 0)
        iterations = DEFAULT_ITERATIONS;
    if (ncores > 1 && start_all(work) != 0)
        return 2;
    work(0);
    wait_ge32(&done_count, (uint32_t)ncores);
    uint32_t total = 0;
    for (int k = 0; k < ncores; k++)
        total += partial[k];
    kprintf("intmark: %u iterations, checksum %08x\n", iterations, total);
    return 0;
}
