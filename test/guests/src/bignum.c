/*
 * bignum.c - arbitrary-precision unsigned integers on 32-bit limbs (little
 * endian): addition with carry, subtraction with borrow, schoolbook
 * multiplication, multiply/divide by a small number, comparison, decimal
 * and hex conversion.  Prints factorials up to 60!, powers of two and three,
 * large Fibonacci numbers, digit sums, and checks identities such as
 * (a*b)/b == a and F(2n) = F(n) * (2F(n+1) - F(n)).
 */
#include "libmini.h"

int main(void);

#define LIMBS 72 /* 2304 bits */

typedef struct {
    int n; /* limbs in use; no leading zero limbs; 0 means the value 0 */
    uint32_t d[LIMBS];
} big;

static cksum_t ck;
static int overflowed;

static void big_norm(big *a)
{
    while (a->n > 0 && a->d[a->n - 1] == 0)
        a->n--;
}

static void big_set(big *a, uint64_t v)
{
    a->n = 0;
    while (v) {
        a->d[a->n++] = (uint32_t)v;
        v >>= 32;
    }
}

static void big_copy(big *dst, const big *src)
{
    dst->n = src->n;
    for (int i = 0; i < src->n; i++)
        dst->d[i] = src->d[i];
}

static int big_cmp(const big *a, const big *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->d[i] != b->d[i])
            return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}

static void big_add(big *r, const big *a, const big *b) /* r may alias a or b */
{
    int n = a->n > b->n ? a->n : b->n;
    uint64_t carry = 0;
    for (int i = 0; i < n; i++) {
        uint64_t s = carry;
        if (i < a->n)
            s += a->d[i];
        if (i < b->n)
            s += b->d[i];
        r->d[i] = (uint32_t)s;
        carry = s >> 32;
    }
    r->n = n;
    if (carry) {
        if (n < LIMBS)
            r->d[r->n++] = (uint32_t)carry;
        else
            overflowed = 1;
    }
}

static void big_sub(big *r, const big *a, const big *b) /* requires a >= b */
{
    uint64_t borrow = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t bi = i < b->n ? b->d[i] : 0;
        uint64_t s = (uint64_t)a->d[i] - bi - borrow;
        r->d[i] = (uint32_t)s;
        borrow = (s >> 32) ? 1 : 0;
    }
    r->n = a->n;
    big_norm(r);
}

static void big_mul_small(big *a, uint32_t m)
{
    uint64_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t p = (uint64_t)a->d[i] * m + carry;
        a->d[i] = (uint32_t)p;
        carry = p >> 32;
    }
    if (carry) {
        if (a->n < LIMBS)
            a->d[a->n++] = (uint32_t)carry;
        else
            overflowed = 1;
    }
    big_norm(a);
}

static uint32_t big_div_small(big *a, uint32_t m) /* a /= m, returns remainder */
{
    uint64_t rem = 0;
    for (int i = a->n - 1; i >= 0; i--) {
        uint64_t cur = (rem << 32) | a->d[i];
        a->d[i] = (uint32_t)(cur / m);
        rem = cur % m;
    }
    big_norm(a);
    return (uint32_t)rem;
}

static void big_mul(big *r, const big *a, const big *b) /* r must not alias */
{
    int n = a->n + b->n;
    if (n > LIMBS) {
        overflowed = 1;
        n = LIMBS;
    }
    for (int i = 0; i < n; i++)
        r->d[i] = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t carry = 0;
        for (int j = 0; j < b->n && i + j < n; j++) {
            uint64_t t = (uint64_t)a->d[i] * b->d[j] + r->d[i + j] + carry;
            r->d[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
        if (i + b->n < n)
            r->d[i + b->n] = (uint32_t)carry;
    }
    r->n = n;
    big_norm(r);
}

/* long division by a big divisor via shift-and-subtract (slow, simple) */
static void big_shl1(big *a)
{
    uint32_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint32_t nc = a->d[i] >> 31;
        a->d[i] = (a->d[i] << 1) | carry;
        carry = nc;
    }
    if (carry && a->n < LIMBS)
        a->d[a->n++] = carry;
}

static void big_divmod(big *q, big *r, const big *a, const big *b)
{
    q->n = a->n;
    for (int i = 0; i < a->n; i++)
        q->d[i] = 0;
    r->n = 0;
    for (int bit = a->n * 32 - 1; bit >= 0; bit--) {
        big_shl1(r);
        if ((a->d[bit / 32] >> (bit % 32)) & 1) {
            if (r->n == 0)
                r->n = 1, r->d[0] = 0;
            r->d[0] |= 1;
        }
        if (big_cmp(r, b) >= 0) {
            big_sub(r, r, b);
            q->d[bit / 32] |= 1u << (bit % 32);
        }
    }
    big_norm(q);
}

static char dec_buf[800];

static const char *big_to_dec(const big *a)
{
    static big t;
    big_copy(&t, a);
    int n = 0;
    char tmp[800];
    if (t.n == 0)
        tmp[n++] = '0';
    while (t.n > 0) {
        uint32_t chunk = big_div_small(&t, 1000000000u);
        for (int k = 0; k < 9; k++) {
            tmp[n++] = (char)('0' + chunk % 10);
            chunk /= 10;
            if (t.n == 0 && chunk == 0)
                break;
        }
    }
    for (int i = 0; i < n; i++)
        dec_buf[i] = tmp[n - 1 - i];
    dec_buf[n] = '\0';
    return dec_buf;
}

static void print_hex(const big *a)
{
    if (a->n == 0) {
        kprintf("0");
        return;
    }
    kprintf("%x", a->d[a->n - 1]);
    for (int i = a->n - 2; i >= 0; i--)
        kprintf("%08x", a->d[i]);
}

static unsigned digit_sum(const char *s)
{
    unsigned sum = 0;
    for (; *s; s++)
        sum += (unsigned)(*s - '0');
    return sum;
}

static void ck_big(const big *a)
{
    cksum_u64(&ck, (uint64_t)a->n);
    cksum_bytes(&ck, a->d, (size_t)a->n * 4);
}

static big A, B, C, D, E;

int main(void)
{
    cksum_init(&ck);
    kprintf("bignum: arbitrary precision test\n");

    kprintf("== factorials\n");
    big_set(&A, 1);
    for (uint32_t i = 1; i <= 60; i++) {
        big_mul_small(&A, i);
        if (i <= 25 || i % 5 == 0) {
            const char *s = big_to_dec(&A);
            kprintf("%u! = %s (digits %u, digit sum %u)\n", i, s, (unsigned)strlen(s),
                    digit_sum(s));
        }
        ck_big(&A);
    }
    kprintf("60! hex = ");
    print_hex(&A);
    kprintf("\n");

    kprintf("== powers\n");
    big_set(&A, 1);
    for (int i = 1; i <= 512; i++) {
        big_add(&A, &A, &A);
        if (i == 32 || i == 64 || i == 100 || i == 128 || i == 256 || i == 512) {
            const char *s = big_to_dec(&A);
            kprintf("2^%d = %s (digit sum %u)\n", i, s, digit_sum(s));
            ck_big(&A);
        }
    }
    big_set(&B, 1);
    for (int i = 1; i <= 200; i++) {
        big_mul_small(&B, 3);
        if (i % 40 == 0)
            kprintf("3^%d = %s\n", i, big_to_dec(&B));
    }
    ck_big(&B);

    kprintf("== fibonacci\n");
    big_set(&A, 0);
    big_set(&B, 1);
    for (int i = 1; i <= 500; i++) {
        big_add(&C, &A, &B);
        big_copy(&A, &B);
        big_copy(&B, &C);
        /* A = F(i), B = F(i+1) */
        if (i == 93 || i == 100 || i == 200 || i == 300 || i == 500)
            kprintf("F(%d) = %s\n", i, big_to_dec(&A));
        if (i == 150) {
            /* F(300) = F(150) * (2 F(151) - F(150)) */
            big_add(&D, &B, &B);
            big_sub(&D, &D, &A);
            big_mul(&E, &A, &D);
        }
        if (i == 300)
            kprintf("F(300) doubling identity: %s\n", big_cmp(&A, &E) == 0 ? "ok" : "BAD");
    }
    ck_big(&A);

    kprintf("== multiply / divide\n");
    {
        uint64_t x = 0x243F6A8885A308D3ULL; /* fraction bits of pi, as a seed */
        for (int t = 0; t < 8; t++) {
            A.n = 3 + t * 2;
            B.n = 2 + t;
            for (int i = 0; i < A.n; i++) {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                A.d[i] = (uint32_t)(x >> 32);
            }
            for (int i = 0; i < B.n; i++) {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                B.d[i] = (uint32_t)(x >> 32) | 1u;
            }
            big_norm(&A);
            big_norm(&B);
            big_mul(&C, &A, &B);
            big_divmod(&D, &E, &C, &B);
            int ok = big_cmp(&D, &A) == 0 && E.n == 0;
            /* (A*B + 12345) mod B == 12345 */
            big_set(&E, 12345);
            big_add(&C, &C, &E);
            big_divmod(&D, &E, &C, &B);
            int ok2 = big_cmp(&D, &A) == 0 && E.n == 1 && E.d[0] == 12345;
            kprintf("mul/div %d: |a|=%d |b|=%d |ab|=%d %s %s\n", t, A.n, B.n, C.n,
                    ok ? "ok" : "BAD", ok2 ? "ok" : "BAD");
            kprintf("  a*b = %s\n", big_to_dec(&C));
            ck_big(&C);
        }
    }

    kprintf("== digits of 2^1000 in base 7\n");
    {
        big_set(&A, 1);
        for (int i = 0; i < 1000; i++)
            big_add(&A, &A, &A);
        char digits[400];
        int n = 0;
        while (A.n > 0)
            digits[n++] = (char)('0' + big_div_small(&A, 7));
        kprintf("%d base-7 digits, most significant first: ", n);
        for (int i = n - 1; i >= n - 40; i--)
            kprintf("%c", digits[i]);
        kprintf("...\n");
        cksum_bytes(&ck, digits, (size_t)n);
    }

    kprintf("overflow flag: %d\n", overflowed);
    kprintf("bignum checksum: %08x\n", ck.h);
    kprintf("bignum done\n");
    return 0;
}
