/*
 * sort.c - sorting pseudo-random data from an LCG: quicksort (median of
 * three, Hoare partition, recursion on the smaller side), top-down
 * mergesort, insertion sort, heapsort, a generic byte-swapping sort driven
 * by a comparator function pointer, a stability check on records, and
 * several input patterns and sizes.  Every result is checked against the
 * others and summarised with checksums and sampled elements.
 */
#include "libmini.h"

int main(void);

#define MAXN 400

static uint32_t lcg = 12345u;

static uint32_t lcg_next(void)
{
    /* Numerical Recipes LCG; use the high bits */
    lcg = lcg * 1664525u + 1013904223u;
    return lcg;
}

static uint32_t src[MAXN], a_q[MAXN], a_m[MAXN], a_i[MAXN], a_h[MAXN], a_g[MAXN], tmp[MAXN];
static cksum_t ck;
static uint64_t compares;

/* ------------------------------------------------------------ quicksort */
static void swap_u32(uint32_t *x, uint32_t *y)
{
    uint32_t t = *x;
    *x = *y;
    *y = t;
}

static void insertion_sort(uint32_t *a, int n)
{
    for (int i = 1; i < n; i++) {
        uint32_t v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) {
            compares++;
            a[j + 1] = a[j];
            j--;
        }
        if (j >= 0)
            compares++;
        a[j + 1] = v;
    }
}

static void quicksort(uint32_t *a, int lo, int hi) /* inclusive bounds */
{
    while (hi - lo > 8) {
        int mid = lo + (hi - lo) / 2;
        /* median of three into a[mid] */
        if (a[mid] < a[lo])
            swap_u32(&a[mid], &a[lo]);
        if (a[hi] < a[lo])
            swap_u32(&a[hi], &a[lo]);
        if (a[hi] < a[mid])
            swap_u32(&a[hi], &a[mid]);
        uint32_t pivot = a[mid];
        int i = lo - 1, j = hi + 1;
        for (;;) {
            do {
                i++;
                compares++;
            } while (a[i] < pivot);
            do {
                j--;
                compares++;
            } while (a[j] > pivot);
            if (i >= j)
                break;
            swap_u32(&a[i], &a[j]);
        }
        /* a[lo..j] <= pivot <= a[j+1..hi]; recurse on the smaller part */
        if (j - lo < hi - j) {
            quicksort(a, lo, j);
            lo = j + 1;
        } else {
            quicksort(a, j + 1, hi);
            hi = j;
        }
    }
    if (hi > lo)
        insertion_sort(a + lo, hi - lo + 1);
}

/* ------------------------------------------------------------ mergesort */
static void merge_sort_rec(uint32_t *a, uint32_t *t, int lo, int hi) /* [lo, hi) */
{
    if (hi - lo < 2)
        return;
    int mid = lo + (hi - lo) / 2;
    merge_sort_rec(a, t, lo, mid);
    merge_sort_rec(a, t, mid, hi);
    int i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
        compares++;
        if (a[j] < a[i])
            t[k++] = a[j++];
        else
            t[k++] = a[i++];
    }
    while (i < mid)
        t[k++] = a[i++];
    while (j < hi)
        t[k++] = a[j++];
    for (k = lo; k < hi; k++)
        a[k] = t[k];
}

/* ------------------------------------------------------------ heapsort */
static void sift_down(uint32_t *a, int root, int n)
{
    for (;;) {
        int child = 2 * root + 1;
        if (child >= n)
            break;
        if (child + 1 < n && a[child + 1] > a[child])
            child++;
        compares++;
        if (a[root] >= a[child])
            break;
        swap_u32(&a[root], &a[child]);
        root = child;
    }
}

static void heap_sort(uint32_t *a, int n)
{
    for (int i = n / 2 - 1; i >= 0; i--)
        sift_down(a, i, n);
    for (int end = n - 1; end > 0; end--) {
        swap_u32(&a[0], &a[end]);
        sift_down(a, 0, end);
    }
}

/* ------------------------------------------------------------ generic sort */
typedef int (*cmp_fn)(const void *, const void *);

static void byte_swap(unsigned char *x, unsigned char *y, size_t size)
{
    while (size--) {
        unsigned char t = *x;
        *x++ = *y;
        *y++ = t;
    }
}

/* shell sort over opaque elements, gaps 1, 4, 13, 40, ... */
static void generic_sort(void *base, size_t n, size_t size, cmp_fn cmp)
{
    unsigned char *b = base;
    size_t gap = 1;
    while (gap < n / 3)
        gap = gap * 3 + 1;
    for (; gap > 0; gap /= 3) {
        for (size_t i = gap; i < n; i++) {
            for (size_t j = i; j >= gap && cmp(b + (j - gap) * size, b + j * size) > 0; j -= gap)
                byte_swap(b + (j - gap) * size, b + j * size, size);
        }
    }
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

static int cmp_i64_desc(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a < b) - (a > b);
}

/* ------------------------------------------------------------ helpers */
static int is_sorted(const uint32_t *a, int n)
{
    for (int i = 1; i < n; i++)
        if (a[i - 1] > a[i])
            return 0;
    return 1;
}

static uint32_t sum_hash(const uint32_t *a, int n)
{
    uint32_t h = 0;
    for (int i = 0; i < n; i++)
        h = (h ^ a[i]) * 0x01000193u + (uint32_t)i;
    return h;
}

static void fill(int pattern, int n)
{
    for (int i = 0; i < n; i++) {
        switch (pattern) {
        case 0: /* random */
            src[i] = lcg_next() >> 8;
            break;
        case 1: /* sorted */
            src[i] = (uint32_t)i * 7u;
            break;
        case 2: /* reversed */
            src[i] = (uint32_t)(n - i) * 3u;
            break;
        case 3: /* all equal */
            src[i] = 42;
            break;
        case 4: /* sawtooth */
            src[i] = (uint32_t)(i % 17);
            break;
        default: /* few distinct random values */
            src[i] = (lcg_next() >> 16) % 5;
            break;
        }
    }
}

static const char *const pattern_names[] = { "random", "sorted", "reversed", "equal",
                                             "sawtooth", "few" };

static void run_case(int pattern, int n)
{
    fill(pattern, n);
    for (int i = 0; i < n; i++)
        a_q[i] = a_m[i] = a_i[i] = a_h[i] = a_g[i] = src[i];

    compares = 0;
    if (n > 0)
        quicksort(a_q, 0, n - 1);
    uint64_t c_q = compares;
    compares = 0;
    merge_sort_rec(a_m, tmp, 0, n);
    uint64_t c_m = compares;
    compares = 0;
    insertion_sort(a_i, n);
    uint64_t c_i = compares;
    compares = 0;
    heap_sort(a_h, n);
    uint64_t c_h = compares;
    generic_sort(a_g, (size_t)n, sizeof a_g[0], cmp_u32);

    int same = memcmp(a_q, a_m, (size_t)n * 4) == 0 && memcmp(a_q, a_i, (size_t)n * 4) == 0 &&
               memcmp(a_q, a_h, (size_t)n * 4) == 0 && memcmp(a_q, a_g, (size_t)n * 4) == 0;
    uint32_t h = sum_hash(a_q, n);
    kprintf("%-8s n=%3d sorted=%d same=%d hash=%08x cmp q=%lu m=%lu i=%lu h=%lu\n",
            pattern_names[pattern], n, is_sorted(a_q, n), same, h, c_q, c_m, c_i, c_h);
    if (n > 0) {
        kprintf("   min=%u max=%u median=%u\n", a_q[0], a_q[n - 1], a_q[n / 2]);
    }
    cksum_u64(&ck, h);
    cksum_u64(&ck, c_q + c_m * 3 + c_i * 5 + c_h * 7);
}

/* ------------------------------------------------------------ stability */
struct rec {
    uint16_t key;
    uint16_t seq;
    uint32_t payload;
};

static struct rec recs[200], rtmp[200];

static void merge_recs(struct rec *a, struct rec *t, int lo, int hi)
{
    if (hi - lo < 2)
        return;
    int mid = lo + (hi - lo) / 2;
    merge_recs(a, t, lo, mid);
    merge_recs(a, t, mid, hi);
    int i = lo, j = mid, k = lo;
    while (i < mid && j < hi)
        t[k++] = (a[j].key < a[i].key) ? a[j++] : a[i++];
    while (i < mid)
        t[k++] = a[i++];
    while (j < hi)
        t[k++] = a[j++];
    for (k = lo; k < hi; k++)
        a[k] = t[k];
}

int main(void)
{
    cksum_init(&ck);
    kprintf("sort: sorting test\n");

    kprintf("== random data sample\n");
    fill(0, 40);
    for (int i = 0; i < 40; i++)
        kprintf("%08x%c", src[i], (i % 8 == 7) ? '\n' : ' ');

    kprintf("== all algorithms\n");
    static const int sizes[] = { 0, 1, 2, 3, 5, 10, 31, 100, 201, 400 };
    for (int p = 0; p < 6; p++) {
        for (unsigned s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            if (p != 0 && sizes[s] > 250)
                continue; /* keep insertion sort on reversed input cheap */
            run_case(p, sizes[s]);
        }
    }

    kprintf("== sorted random 400, every 20th\n");
    fill(0, 400);
    for (int i = 0; i < 400; i++)
        a_q[i] = src[i];
    quicksort(a_q, 0, 399);
    for (int i = 0; i < 400; i += 20)
        kprintf("a[%3d] = %u\n", i, a_q[i]);

    kprintf("== generic sort, int64 descending\n");
    {
        static int64_t v[64];
        for (int i = 0; i < 64; i++) {
            uint64_t hi = lcg_next();
            v[i] = (int64_t)((hi << 32) | lcg_next());
        }
        generic_sort(v, 64, sizeof v[0], cmp_i64_desc);
        int ok = 1;
        for (int i = 1; i < 64; i++)
            if (v[i - 1] < v[i])
                ok = 0;
        for (int i = 0; i < 64; i += 8)
            kprintf("v[%2d] = %ld\n", i, v[i]);
        kprintf("descending %s\n", ok ? "ok" : "BAD");
        for (int i = 0; i < 64; i++)
            cksum_u64(&ck, (uint64_t)v[i]);
    }

    kprintf("== stability\n");
    {
        for (int i = 0; i < 200; i++) {
            recs[i].key = (uint16_t)((lcg_next() >> 20) % 10);
            recs[i].seq = (uint16_t)i;
            recs[i].payload = lcg_next();
        }
        merge_recs(recs, rtmp, 0, 200);
        int stable = 1;
        for (int i = 1; i < 200; i++) {
            if (recs[i - 1].key > recs[i].key)
                stable = 0;
            if (recs[i - 1].key == recs[i].key && recs[i - 1].seq > recs[i].seq)
                stable = 0;
        }
        int counts[10] = { 0 };
        for (int i = 0; i < 200; i++)
            counts[recs[i].key]++;
        for (int k = 0; k < 10; k++)
            kprintf("key %d: %d records\n", k, counts[k]);
        kprintf("merge sort stable: %s first=(%u,%u) last=(%u,%u)\n", stable ? "yes" : "NO",
                recs[0].key, recs[0].seq, recs[199].key, recs[199].seq);
        for (int i = 0; i < 200; i++)
            cksum_u64(&ck, (uint64_t)recs[i].seq << 32 | recs[i].payload);
    }

    kprintf("sort checksum: %08x\n", ck.h);
    kprintf("sort done\n");
    return 0;
}
