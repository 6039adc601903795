/*
 * hash.c - hashing: CRC-32 (IEEE, reflected) bitwise and table-driven,
 * CRC-32C, a non-reflected CRC-16/CCITT, Adler-32, FNV-1a 32/64, a 64-bit
 * mix hash (splitmix64 / murmur-style finaliser), incremental versus
 * one-shot hashing, and an open-addressing hash table with probe counts.
 */
#include "libmini.h"

int main(void);

static cksum_t ck;
static uint32_t crc_table[256];
static uint32_t crc32c_table[256];
static unsigned char buf[4096];

/* ------------------------------------------------------------ CRCs */
static uint32_t crc32_bitwise(uint32_t crc, const unsigned char *p, size_t n, uint32_t poly)
{
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (poly & (0u - (crc & 1u)));
    }
    return ~crc;
}

static void crc_make_table(uint32_t *table, uint32_t poly)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ poly : c >> 1;
        table[i] = c;
    }
}

static uint32_t crc32_table_driven(const uint32_t *table, uint32_t crc, const unsigned char *p,
                                   size_t n)
{
    crc = ~crc;
    while (n--)
        crc = table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
    return ~crc;
}

static uint16_t crc16_ccitt(const unsigned char *p, size_t n)
{
    uint16_t crc = 0xFFFF;
    while (n--) {
        crc = (uint16_t)(crc ^ (uint16_t)(*p++ << 8));
        for (int k = 0; k < 8; k++)
            crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
    }
    return crc;
}

/* ------------------------------------------------------------ others */
static uint32_t adler32(const unsigned char *p, size_t n)
{
    uint32_t a = 1, b = 0;
    while (n--) {
        a = (a + *p++) % 65521u;
        b = (b + a) % 65521u;
    }
    return (b << 16) | a;
}

static uint32_t fnv1a32(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint32_t h = 0x811c9dc5u;
    while (n--) {
        h ^= *p++;
        h *= 0x01000193u;
    }
    return h;
}

static uint64_t fnv1a64(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ULL;
    while (n--) {
        h ^= *p++;
        h *= 0x100000001b3ULL;
    }
    return h;
}

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

/* simple block hash over 8-byte little-endian words, built from mix64 */
static uint64_t block_hash64(const unsigned char *p, size_t n, uint64_t seed)
{
    uint64_t h = seed ^ (n * 0x9E3779B97F4A7C15ULL);
    while (n >= 8) {
        uint64_t w = 0;
        for (int i = 7; i >= 0; i--)
            w = (w << 8) | p[i];
        h = mix64(h ^ w) + 0x632BE59BD9B4E019ULL;
        p += 8;
        n -= 8;
    }
    uint64_t tail = 0;
    for (size_t i = 0; i < n; i++)
        tail |= (uint64_t)p[i] << (8 * i);
    return fmix64(h ^ tail);
}

/* ------------------------------------------------------------ hash table */
#define TBL_BITS 11
#define TBL_SIZE (1u << TBL_BITS)
static uint64_t tbl_keys[TBL_SIZE];
static uint32_t tbl_vals[TBL_SIZE];
static unsigned char tbl_used[TBL_SIZE];

static uint32_t tbl_probes;

static int tbl_put(uint64_t key, uint32_t val)
{
    uint32_t i = (uint32_t)(mix64(key) >> (64 - TBL_BITS));
    for (uint32_t n = 0; n < TBL_SIZE; n++) {
        tbl_probes++;
        if (!tbl_used[i]) {
            tbl_used[i] = 1;
            tbl_keys[i] = key;
            tbl_vals[i] = val;
            return 1;
        }
        if (tbl_keys[i] == key) {
            tbl_vals[i] = val;
            return 0;
        }
        i = (i + 1) & (TBL_SIZE - 1);
    }
    return -1;
}

static int tbl_get(uint64_t key, uint32_t *val)
{
    uint32_t i = (uint32_t)(mix64(key) >> (64 - TBL_BITS));
    for (uint32_t n = 0; n < TBL_SIZE; n++) {
        tbl_probes++;
        if (!tbl_used[i])
            return 0;
        if (tbl_keys[i] == key) {
            *val = tbl_vals[i];
            return 1;
        }
        i = (i + 1) & (TBL_SIZE - 1);
    }
    return 0;
}

static const char *const test_strings[] = {
    "",
    "a",
    "abc",
    "123456789",
    "message digest",
    "abcdefghijklmnopqrstuvwxyz",
    "The quick brown fox jumps over the lazy dog",
    "Wikipedia",
    "foobar",
    "an emulator should agree with the reference machine byte for byte",
};

int main(void)
{
    cksum_init(&ck);
    kprintf("hash: hashing test\n");

    crc_make_table(crc_table, 0xEDB88320u);
    crc_make_table(crc32c_table, 0x82F63B78u);
    kprintf("crc table[1]=%08x [128]=%08x [255]=%08x\n", crc_table[1], crc_table[128],
            crc_table[255]);
    kprintf("crc32c table[1]=%08x [255]=%08x\n", crc32c_table[1], crc32c_table[255]);

    kprintf("== strings\n");
    for (unsigned i = 0; i < sizeof test_strings / sizeof test_strings[0]; i++) {
        const unsigned char *s = (const unsigned char *)test_strings[i];
        size_t n = strlen(test_strings[i]);
        uint32_t c1 = crc32_bitwise(0, s, n, 0xEDB88320u);
        uint32_t c2 = crc32_table_driven(crc_table, 0, s, n);
        uint32_t c3 = crc32_bitwise(0, s, n, 0x82F63B78u);
        uint32_t c4 = crc32_table_driven(crc32c_table, 0, s, n);
        kprintf("\"%s\"\n  crc32=%08x %s crc32c=%08x %s crc16=%04x adler=%08x\n", test_strings[i],
                c1, c1 == c2 ? "ok" : "MISMATCH", c3, c3 == c4 ? "ok" : "MISMATCH",
                crc16_ccitt(s, n), adler32(s, n));
        kprintf("  fnv32=%08x fnv64=%016lx block64=%016lx\n", fnv1a32(s, n), fnv1a64(s, n),
                block_hash64(s, n, 0));
        cksum_u64(&ck, c1 ^ ((uint64_t)c3 << 32));
        cksum_u64(&ck, fnv1a64(s, n) ^ block_hash64(s, n, 1));
    }

    kprintf("== 4 KiB buffer\n");
    {
        uint64_t x = 1;
        for (size_t i = 0; i < sizeof buf; i++) {
            x = mix64(x + i);
            buf[i] = (unsigned char)(x >> 56);
        }
        uint32_t whole_bit = crc32_bitwise(0, buf, sizeof buf, 0xEDB88320u);
        uint32_t whole_tab = crc32_table_driven(crc_table, 0, buf, sizeof buf);
        /* incremental in uneven chunks */
        uint32_t inc = 0;
        size_t off = 0, chunk = 1;
        while (off < sizeof buf) {
            size_t len = chunk;
            if (len > sizeof buf - off)
                len = sizeof buf - off;
            inc = crc32_table_driven(crc_table, inc, buf + off, len);
            off += len;
            chunk = chunk * 3 + 1;
        }
        kprintf("crc32 bitwise=%08x table=%08x incremental=%08x %s\n", whole_bit, whole_tab, inc,
                (whole_bit == whole_tab && whole_tab == inc) ? "ok" : "MISMATCH");
        kprintf("crc32c=%08x adler32=%08x crc16=%04x\n",
                crc32_table_driven(crc32c_table, 0, buf, sizeof buf), adler32(buf, sizeof buf),
                crc16_ccitt(buf, sizeof buf));
        kprintf("fnv32=%08x fnv64=%016lx block64=%016lx\n", fnv1a32(buf, sizeof buf),
                fnv1a64(buf, sizeof buf), block_hash64(buf, sizeof buf, 0x1234));
        for (int k = 0; k < 16; k++) {
            size_t len = 256;
            kprintf("block %2d: crc32=%08x fnv32=%08x mix=%016lx\n", k,
                    crc32_table_driven(crc_table, 0, buf + k * len, len),
                    fnv1a32(buf + k * len, len), block_hash64(buf + k * len, len, (uint64_t)k));
            cksum_u64(&ck, block_hash64(buf + k * len, len, (uint64_t)k));
        }
        /* flipping any single bit changes the CRC */
        int all_changed = 1;
        for (int bit = 0; bit < 64; bit++) {
            buf[bit * 7] ^= (unsigned char)(1u << (bit & 7));
            if (crc32_table_driven(crc_table, 0, buf, sizeof buf) == whole_tab)
                all_changed = 0;
            buf[bit * 7] ^= (unsigned char)(1u << (bit & 7));
        }
        kprintf("single-bit flips detected: %s\n", all_changed ? "all" : "NOT ALL");
        cksum_u64(&ck, whole_tab);
    }

    kprintf("== mix64 / fmix64 sequence\n");
    for (uint64_t i = 0; i < 24; i++) {
        uint64_t m = mix64(i), f = fmix64(i * 0x100000001ULL);
        kprintf("mix64(%2lu)=%016lx fmix64=%016lx\n", i, m, f);
        cksum_u64(&ck, m + f);
    }

    kprintf("== avalanche\n");
    {
        int total = 0, minflip = 64, maxflip = 0;
        for (int bit = 0; bit < 64; bit++) {
            uint64_t base = 0x0123456789ABCDEFULL;
            uint64_t d = mix64(base) ^ mix64(base ^ (1ULL << bit));
            int flips = 0;
            while (d) {
                d &= d - 1;
                flips++;
            }
            total += flips;
            if (flips < minflip)
                minflip = flips;
            if (flips > maxflip)
                maxflip = flips;
        }
        kprintf("avalanche: total=%d min=%d max=%d\n", total, minflip, maxflip);
        cksum_u64(&ck, (uint64_t)total);
    }

    kprintf("== hash table\n");
    {
        uint64_t key = 7;
        int inserted = 0, updated = 0;
        tbl_probes = 0;
        for (uint32_t i = 0; i < 1500; i++) {
            key = key * 6364136223846793005ULL + 1;
            int r = tbl_put(key >> 20, i);
            if (r == 1)
                inserted++;
            else if (r == 0)
                updated++;
        }
        kprintf("inserted=%d updated=%d probes=%u\n", inserted, updated, tbl_probes);
        key = 7;
        tbl_probes = 0;
        uint64_t vsum = 0;
        int found = 0;
        for (uint32_t i = 0; i < 1500; i++) {
            key = key * 6364136223846793005ULL + 1;
            uint32_t v;
            if (tbl_get(key >> 20, &v)) {
                found++;
                vsum += v;
            }
        }
        int missing = 0;
        for (uint64_t k = 1; k <= 500; k++) {
            uint32_t v;
            if (!tbl_get(k * 1000003ULL + (1ULL << 50), &v))
                missing++;
        }
        kprintf("found=%d vsum=%lu missing=%d probes=%u\n", found, vsum, missing, tbl_probes);
        uint32_t longest = 0, run = 0;
        for (uint32_t i = 0; i < TBL_SIZE; i++) {
            run = tbl_used[i] ? run + 1 : 0;
            if (run > longest)
                longest = run;
        }
        kprintf("longest cluster=%u table fnv=%08x\n", longest,
                fnv1a32(tbl_keys, sizeof tbl_keys));
        cksum_u64(&ck, vsum + tbl_probes + longest);
    }

    kprintf("hash checksum: %08x\n", ck.h);
    kprintf("hash done\n");
    return 0;
}
