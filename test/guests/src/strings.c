/*
 * strings.c - string handling with home-made routines: length, compare,
 * copy/concatenate with bounds, search (chr, rchr, str), reverse in place,
 * tokenising with a delimiter set, integer <-> text in bases 2..36
 * (itoa / atoi / strtol-like with saturation), case mapping, palindromes,
 * ROT13, run-length encoding, word frequencies, and ksnprintf formatting.
 */
#include "libmini.h"

int main(void);

static cksum_t ck;

static size_t s_len(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static int s_cmp(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return (int)(unsigned char)*a - (int)(unsigned char)*b;
}

static int s_ncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b || *a == '\0')
            return (int)(unsigned char)*a - (int)(unsigned char)*b;
    }
    return 0;
}

/* copies at most size-1 chars, always terminates; returns strlen(src) */
static size_t s_lcpy(char *dst, const char *src, size_t size)
{
    size_t n = s_len(src);
    if (size) {
        size_t c = n < size - 1 ? n : size - 1;
        for (size_t i = 0; i < c; i++)
            dst[i] = src[i];
        dst[c] = '\0';
    }
    return n;
}

static size_t s_lcat(char *dst, const char *src, size_t size)
{
    size_t d = 0;
    while (d < size && dst[d])
        d++;
    if (d == size)
        return size + s_len(src);
    return d + s_lcpy(dst + d, src, size - d);
}

static const char *s_chr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return s;
        if (*s == '\0')
            return NULL;
    }
}

static const char *s_rchr(const char *s, int c)
{
    const char *last = NULL;
    for (;; s++) {
        if (*s == (char)c)
            last = s;
        if (*s == '\0')
            return last;
    }
}

static const char *s_str(const char *hay, const char *needle)
{
    size_t n = s_len(needle);
    if (n == 0)
        return hay;
    for (; *hay; hay++)
        if (s_ncmp(hay, needle, n) == 0)
            return hay;
    return NULL;
}

static void s_reverse(char *s, size_t n)
{
    if (n < 2)
        return;
    for (size_t i = 0, j = n - 1; i < j; i++, j--) {
        char t = s[i];
        s[i] = s[j];
        s[j] = t;
    }
}

/* reentrant tokeniser over a delimiter set */
static char *s_tok(char *s, const char *delim, char **save)
{
    if (s == NULL)
        s = *save;
    while (*s && s_chr(delim, *s))
        s++;
    if (*s == '\0') {
        *save = s;
        return NULL;
    }
    char *tok = s;
    while (*s && !s_chr(delim, *s))
        s++;
    if (*s) {
        *s = '\0';
        s++;
    }
    *save = s;
    return tok;
}

static char *s_itoa(int64_t v, char *out, int base)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    size_t n = 0;
    do {
        out[n++] = digits[u % (unsigned)base];
        u /= (unsigned)base;
    } while (u);
    if (v < 0)
        out[n++] = '-';
    out[n] = '\0';
    s_reverse(out, n);
    return out;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* strtol-like: whitespace, sign, base prefix for base 0/16, saturates */
static int64_t s_strtol(const char *s, const char **end, int base, int *overflow)
{
    const char *p = s;
    *overflow = 0;
    while (*p == ' ' || *p == '\t' || *p == '\n')
        p++;
    int neg = 0;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        digit_value(p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) {
        base = (p[0] == '0') ? 8 : 10;
    }
    uint64_t limit = neg ? (uint64_t)1 << 63 : ((uint64_t)1 << 63) - 1;
    uint64_t acc = 0;
    const char *start = p;
    for (;; p++) {
        int d = digit_value(*p);
        if (d >= base)
            break;
        if (acc > (limit - (uint64_t)d) / (uint64_t)base) {
            *overflow = 1;
            acc = limit;
        } else if (!*overflow) {
            acc = acc * (uint64_t)base + (uint64_t)d;
        }
    }
    if (p == start)
        p = s; /* no digits */
    if (end)
        *end = p;
    return neg ? (int64_t)(0 - acc) : (int64_t)acc;
}

static int s_atoi(const char *s)
{
    int ov;
    return (int)s_strtol(s, NULL, 10, &ov);
}

static void s_upper(char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            *s = (char)(*s - 'a' + 'A');
}

static int is_palindrome(const char *s)
{
    size_t i = 0, j = s_len(s);
    while (i < j) {
        char a = s[i], b = s[j - 1];
        if (!((a >= 'a' && a <= 'z') || (a >= 'A' && a <= 'Z'))) {
            i++;
            continue;
        }
        if (!((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z'))) {
            j--;
            continue;
        }
        if ((a | 0x20) != (b | 0x20))
            return 0;
        i++;
        j--;
    }
    return 1;
}

static void rot13(char *s)
{
    for (; *s; s++) {
        char c = *s;
        if (c >= 'a' && c <= 'z')
            *s = (char)('a' + (c - 'a' + 13) % 26);
        else if (c >= 'A' && c <= 'Z')
            *s = (char)('A' + (c - 'A' + 13) % 26);
    }
}

static size_t rle_encode(const char *in, char *out)
{
    size_t o = 0;
    while (*in) {
        char c = *in;
        int run = 0;
        while (*in == c && run < 9) {
            in++;
            run++;
        }
        out[o++] = (char)('0' + run);
        out[o++] = c;
    }
    out[o] = '\0';
    return o;
}

static size_t rle_decode(const char *in, char *out)
{
    size_t o = 0;
    while (in[0] && in[1]) {
        for (int k = 0; k < in[0] - '0'; k++)
            out[o++] = in[1];
        in += 2;
    }
    out[o] = '\0';
    return o;
}

static const char text[] =
    "the emulator runs the same image as the reference machine and the output of the "
    "emulator must match the output of the machine line by line so that any difference "
    "points at one instruction the emulator got wrong and the test names the program "
    "the compiler and the level of optimisation";

struct word {
    char w[16];
    int count;
};

static struct word words[64];
static int nwords;

static void count_word(const char *w)
{
    for (int i = 0; i < nwords; i++) {
        if (s_cmp(words[i].w, w) == 0) {
            words[i].count++;
            return;
        }
    }
    if (nwords < 64) {
        s_lcpy(words[nwords].w, w, sizeof words[nwords].w);
        words[nwords].count = 1;
        nwords++;
    }
}

/* printable copy of s: bytes outside 0x20..0x7e become \xNN */
static const char *escape(const char *s, char *out, size_t size)
{
    size_t o = 0;
    for (; *s && o + 5 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c < 0x7f)
            out[o++] = (char)c;
        else
            o += (size_t)ksnprintf(out + o, size - o, "\\x%02x", c);
    }
    out[o] = '\0';
    return out;
}

int main(void)
{
    cksum_init(&ck);
    kprintf("strings: string handling test\n");
    char b1[128], b2[128], b3[256];

    kprintf("== length / compare\n");
    {
        static const char *const ss[] = { "", "a", "ab", "abc", "abd", "abcd", "B", "\x80x",
                                          "zzz" };
        const unsigned n = sizeof ss / sizeof ss[0];
        for (unsigned i = 0; i < n; i++) {
            kprintf("len(\"%s\")=%zu:", escape(ss[i], b1, sizeof b1), s_len(ss[i]));
            for (unsigned j = 0; j < n; j++) {
                int c = s_cmp(ss[i], ss[j]);
                int sign = (c > 0) - (c < 0);
                kprintf(" %c", sign < 0 ? '<' : sign > 0 ? '>' : '=');
                cksum_u64(&ck, (uint64_t)(int64_t)sign);
            }
            kprintf(" ncmp2(abc)=%d\n", s_ncmp(ss[i], "abc", 2) > 0);
        }
    }

    kprintf("== bounded copy / concat\n");
    {
        char small[8];
        size_t r1 = s_lcpy(small, "truncated string", sizeof small);
        kprintf("lcpy -> \"%s\" ret=%zu\n", small, r1);
        s_lcpy(b1, "alpha", sizeof b1);
        size_t r2 = s_lcat(b1, "-beta", sizeof b1);
        size_t r3 = s_lcat(b1, "-gamma-delta", 16);
        kprintf("lcat -> \"%s\" ret=%zu,%zu\n", b1, r2, r3);
        cksum_bytes(&ck, b1, s_len(b1));
    }

    kprintf("== search\n");
    {
        const char *h = "mississippi river side";
        static const char needles[][8] = { "ss", "issip", "sip", "river", "x", "", "side", "ppi " };
        for (unsigned i = 0; i < sizeof needles / sizeof needles[0]; i++) {
            const char *r = s_str(h, needles[i]);
            kprintf("strstr(\"%s\") = %ld\n", needles[i], r ? (long)(r - h) : -1L);
            cksum_u64(&ck, r ? (uint64_t)(r - h) : 999);
        }
        static const char chars[] = "sipr z";
        for (int i = 0; chars[i]; i++) {
            const char *f = s_chr(h, chars[i]), *l = s_rchr(h, chars[i]);
            kprintf("chr('%c') first=%ld last=%ld\n", chars[i], f ? (long)(f - h) : -1L,
                    l ? (long)(l - h) : -1L);
        }
        const char *nul = s_chr(h, 0);
        kprintf("chr(NUL) at %ld\n", (long)(nul - h));
    }

    kprintf("== reverse\n");
    {
        static const char *const rs[] = { "", "x", "ab", "hello", "racecar", "0123456789" };
        for (unsigned i = 0; i < sizeof rs / sizeof rs[0]; i++) {
            s_lcpy(b1, rs[i], sizeof b1);
            s_reverse(b1, s_len(b1));
            kprintf("reverse(\"%s\") = \"%s\"\n", rs[i], b1);
            cksum_bytes(&ck, b1, s_len(b1));
        }
    }

    kprintf("== tokenize\n");
    {
        s_lcpy(b3, "  alpha,beta;;gamma  delta,\tepsilon ,zeta;", sizeof b3);
        char *save;
        int n = 0;
        for (char *t = s_tok(b3, " ,;\t", &save); t; t = s_tok(NULL, " ,;\t", &save)) {
            kprintf("token %d: \"%s\" (%zu)\n", n++, t, s_len(t));
            cksum_bytes(&ck, t, s_len(t));
        }
        s_lcpy(b3, "key1=val1&key2=&=val3&key4=val4", sizeof b3);
        char *outer;
        for (char *kv = s_tok(b3, "&", &outer); kv; kv = s_tok(NULL, "&", &outer)) {
            char *eq = (char *)s_chr(kv, '=');
            if (eq) {
                *eq = '\0';
                kprintf("pair key=\"%s\" value=\"%s\"\n", kv, eq + 1);
            }
        }
    }

    kprintf("== itoa / atoi\n");
    {
        static const int64_t vals[] = { 0, 1, -1, 42, -42, 255, 1000000, -2147483648LL,
                                        4294967295LL, 0x7FFFFFFFFFFFFFFFLL,
                                        (int64_t)0x8000000000000000ULL };
        static const int bases[] = { 2, 8, 10, 16, 36 };
        for (unsigned i = 0; i < sizeof vals / sizeof vals[0]; i++) {
            kprintf("%ld:", vals[i]);
            for (unsigned b = 0; b < 5; b++) {
                s_itoa(vals[i], b1, bases[b]);
                int ov;
                const char *end;
                int64_t back = s_strtol(b1, &end, bases[b], &ov);
                kprintf(" [%d]%s%s", bases[b], b1, back == vals[i] && *end == '\0' ? "" : "(!)");
                cksum_bytes(&ck, b1, s_len(b1));
            }
            kprintf("\n");
        }
        static const char *const inputs[] = { "123", "  -77", "+9", "0x1F", "0777", "0", "12abc",
                                              "abc", "-", "9223372036854775807",
                                              "9223372036854775808", "-9223372036854775808",
                                              "-99999999999999999999", "\t\n 0Xff" };
        for (unsigned i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
            int ov;
            const char *end;
            int64_t v = s_strtol(inputs[i], &end, 0, &ov);
            kprintf("strtol(\"%s\") = %ld consumed=%ld overflow=%d atoi=%d\n",
                    escape(inputs[i], b1, sizeof b1), v, (long)(end - inputs[i]), ov,
                    s_atoi(inputs[i]));
            cksum_u64(&ck, (uint64_t)v);
        }
    }

    kprintf("== case / palindromes / rot13\n");
    {
        static const char *const ps[] = { "A man, a plan, a canal: Panama", "No lemon, no melon",
                                          "emulator", "Was it a car or a cat I saw?", "ab" };
        for (unsigned i = 0; i < sizeof ps / sizeof ps[0]; i++) {
            s_lcpy(b1, ps[i], sizeof b1);
            s_upper(b1);
            s_lcpy(b2, ps[i], sizeof b2);
            rot13(b2);
            kprintf("\"%s\": upper=\"%s\" rot13=\"%s\" palindrome=%d\n", ps[i], b1, b2,
                    is_palindrome(ps[i]));
            rot13(b2);
            if (s_cmp(b2, ps[i]) != 0)
                kprintf("rot13 twice MISMATCH\n");
            cksum_bytes(&ck, b1, s_len(b1));
        }
    }

    kprintf("== run-length\n");
    {
        static const char *const rl[] = { "aaabccddddd", "abc", "", "zzzzzzzzzzzzzzzzzzzzzzz",
                                          "aabbaabb" };
        for (unsigned i = 0; i < sizeof rl / sizeof rl[0]; i++) {
            size_t e = rle_encode(rl[i], b1);
            size_t d = rle_decode(b1, b2);
            kprintf("rle(\"%s\") = \"%s\" (%zu) -> %zu %s\n", rl[i], b1, e, d,
                    s_cmp(b2, rl[i]) == 0 ? "ok" : "BAD");
            cksum_bytes(&ck, b1, e);
        }
    }

    kprintf("== word frequencies\n");
    {
        static char copy[sizeof text];
        s_lcpy(copy, text, sizeof copy);
        char *save;
        for (char *w = s_tok(copy, " ", &save); w; w = s_tok(NULL, " ", &save))
            count_word(w);
        /* selection sort by count desc, then word asc */
        for (int i = 0; i < nwords; i++) {
            int best = i;
            for (int j = i + 1; j < nwords; j++) {
                if (words[j].count > words[best].count ||
                    (words[j].count == words[best].count && s_cmp(words[j].w, words[best].w) < 0))
                    best = j;
            }
            struct word t = words[i];
            words[i] = words[best];
            words[best] = t;
        }
        kprintf("%d distinct words in %zu chars\n", nwords, s_len(text));
        for (int i = 0; i < nwords; i++) {
            kprintf("%-12s %d\n", words[i].w, words[i].count);
            cksum_bytes(&ck, words[i].w, s_len(words[i].w));
            cksum_u64(&ck, (uint64_t)words[i].count);
        }
    }

    kprintf("== formatting\n");
    {
        int n = ksnprintf(b3, sizeof b3, "[%5d|%-5d|%05d|%x|%X|%8s|%-8s|%c]", 42, -42, -42,
                          0xabcdu, 0xabcdu, "right", "left", '!');
        kprintf("%s (%d)\n", b3, n);
        n = ksnprintf(b3, sizeof b3, "[%lu|%ld|%lx|%hd|%hhu|%*d|%%]", 18446744073709551615UL,
                      (long)(-9223372036854775807L - 1), 0xfedcba9876543210UL, (short)-12345,
                      (unsigned char)200, 6, 77);
        kprintf("%s (%d)\n", b3, n);
        char tiny[10];
        n = ksnprintf(tiny, sizeof tiny, "%s", "0123456789abcdef");
        kprintf("truncated \"%s\" wanted %d\n", tiny, n);
        cksum_bytes(&ck, b3, s_len(b3));
    }

    kprintf("strings checksum: %08x\n", ck.h);
    kprintf("strings done\n");
    return 0;
}
