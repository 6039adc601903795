/*
 * recursion.c - deep and branching recursion: Ackermann (small arguments,
 * call counting), Fibonacci (naive, memoised, iterative, 64-bit), Towers of
 * Hanoi (move lists and move checksums), n-queens for n = 1..8 with the
 * first 8-queens board, permutations by recursive swapping, mutual
 * recursion, a recursive flood fill, a recursive-descent expression
 * evaluator, and binomial coefficients through Pascal's rule.
 */
#include "libmini.h"

int main(void);

static cksum_t ck;
static uint64_t calls;
static int depth, max_depth;

/* ------------------------------------------------------------ Ackermann */
static uint64_t ack(uint64_t m, uint64_t n)
{
    calls++;
    if (++depth > max_depth)
        max_depth = depth;
    uint64_t r;
    if (m == 0)
        r = n + 1;
    else if (n == 0)
        r = ack(m - 1, 1);
    else
        r = ack(m - 1, ack(m, n - 1));
    depth--;
    return r;
}

/* ------------------------------------------------------------ Fibonacci */
static uint32_t fib_naive(uint32_t n)
{
    calls++;
    return n < 2 ? n : fib_naive(n - 1) + fib_naive(n - 2);
}

static uint64_t memo[94];

static uint64_t fib_memo(unsigned n)
{
    if (n < 2)
        return n;
    if (memo[n])
        return memo[n];
    return memo[n] = fib_memo(n - 1) + fib_memo(n - 2);
}

static uint64_t fib_iter(unsigned n)
{
    uint64_t a = 0, b = 1;
    while (n--) {
        uint64_t t = a + b;
        a = b;
        b = t;
    }
    return a;
}

/* ------------------------------------------------------------ Hanoi */
static uint64_t hanoi_moves, hanoi_hash;
static int print_moves;
static int pegs[3][16], heights[3];
static int hanoi_ok;

static void move_disk(int from, int to)
{
    int d = pegs[from][--heights[from]];
    if (heights[to] > 0 && pegs[to][heights[to] - 1] < d)
        hanoi_ok = 0; /* larger disk on a smaller one */
    pegs[to][heights[to]++] = d;
    hanoi_moves++;
    hanoi_hash = (hanoi_hash * 31 + (uint64_t)(d * 9 + from * 3 + to)) & 0xFFFFFFFFFFFFULL;
    if (print_moves)
        kprintf("  move disk %d from %c to %c\n", d, 'A' + from, 'A' + to);
}

static void hanoi(int n, int from, int to, int via)
{
    if (n == 0)
        return;
    hanoi(n - 1, from, via, to);
    move_disk(from, to);
    hanoi(n - 1, via, to, from);
}

/* ------------------------------------------------------------ n-queens */
static int qn, qcol[8], solutions;
static uint32_t qhash;
static int first_board[8];
static uint64_t qnodes;

static void queens(int row, uint32_t cols, uint32_t diag1, uint32_t diag2)
{
    qnodes++;
    if (row == qn) {
        if (solutions == 0)
            for (int i = 0; i < qn; i++)
                first_board[i] = qcol[i];
        solutions++;
        for (int i = 0; i < qn; i++)
            qhash = qhash * 0x01000193u ^ (uint32_t)qcol[i];
        return;
    }
    for (int c = 0; c < qn; c++) {
        uint32_t d1 = 1u << (row + c), d2 = 1u << (row - c + qn - 1);
        if ((cols & (1u << c)) || (diag1 & d1) || (diag2 & d2))
            continue;
        qcol[row] = c;
        queens(row + 1, cols | (1u << c), diag1 | d1, diag2 | d2);
    }
}

/* ------------------------------------------------------------ permutations */
static char perm[6];
static int perm_count;
static uint32_t perm_hash;

static void permute(int k, int n)
{
    if (k == n) {
        perm_count++;
        for (int i = 0; i < n; i++)
            perm_hash = perm_hash * 131u + (uint32_t)perm[i];
        if (perm_count <= 6 || perm_count == 120)
            kprintf("perm %3d: %s\n", perm_count, perm);
        return;
    }
    for (int i = k; i < n; i++) {
        char t = perm[k];
        perm[k] = perm[i];
        perm[i] = t;
        permute(k + 1, n);
        t = perm[k];
        perm[k] = perm[i];
        perm[i] = t;
    }
}

/* ------------------------------------------------------------ mutual recursion */
static int is_odd(unsigned n);
static int is_even(unsigned n)
{
    return n == 0 ? 1 : is_odd(n - 1);
}
static int is_odd(unsigned n)
{
    return n == 0 ? 0 : is_even(n - 1);
}

/* ------------------------------------------------------------ flood fill */
#define GW 24
#define GH 12
static char grid[GH][GW + 1];
static const char *const grid_init[GH] = {
    "########################",
    "#......#.......#.......#",
    "#......#.......#.......#",
    "#......#...#...#.......#",
    "####.###...#...####.####",
    "#..........#...........#",
    "#..........#...........#",
    "######.#########.#######",
    "#......#.......#.......#",
    "#......#.......#.......#",
    "#......#.......#.......#",
    "########################",
};

static int flood(int x, int y, char c)
{
    if (x < 0 || y < 0 || x >= GW || y >= GH || grid[y][x] != '.')
        return 0;
    grid[y][x] = c;
    return 1 + flood(x + 1, y, c) + flood(x - 1, y, c) + flood(x, y + 1, c) + flood(x, y - 1, c);
}

/* ------------------------------------------------------------ expressions */
static const char *ep;
static int eval_error;

static int64_t parse_expr(void);

static void skip_ws(void)
{
    while (*ep == ' ')
        ep++;
}

static int64_t parse_primary(void)
{
    skip_ws();
    if (*ep == '(') {
        ep++;
        int64_t v = parse_expr();
        skip_ws();
        if (*ep == ')')
            ep++;
        else
            eval_error = 1;
        return v;
    }
    if (*ep == '-') {
        ep++;
        return (int64_t)(0 - (uint64_t)parse_primary());
    }
    if (*ep < '0' || *ep > '9') {
        eval_error = 1;
        return 0;
    }
    uint64_t v = 0;
    while (*ep >= '0' && *ep <= '9')
        v = v * 10 + (uint64_t)(*ep++ - '0');
    return (int64_t)v;
}

static int64_t parse_power(void) /* right associative ^ */
{
    int64_t base = parse_primary();
    skip_ws();
    if (*ep == '^') {
        ep++;
        int64_t e = parse_power();
        uint64_t r = 1;
        for (int64_t i = 0; i < e && i < 64; i++)
            r *= (uint64_t)base;
        return (int64_t)r;
    }
    return base;
}

static int64_t parse_term(void)
{
    int64_t v = parse_power();
    for (;;) {
        skip_ws();
        char op = *ep;
        if (op != '*' && op != '/' && op != '%')
            return v;
        ep++;
        int64_t r = parse_power();
        if (op == '*') {
            v = (int64_t)((uint64_t)v * (uint64_t)r);
        } else if (r == 0 || (r == -1 && v == (int64_t)0x8000000000000000ULL)) {
            eval_error = 1;
            v = 0;
        } else {
            v = op == '/' ? v / r : v % r;
        }
    }
}

static int64_t parse_expr(void)
{
    int64_t v = parse_term();
    for (;;) {
        skip_ws();
        char op = *ep;
        if (op != '+' && op != '-')
            return v;
        ep++;
        int64_t r = parse_term();
        v = (int64_t)(op == '+' ? (uint64_t)v + (uint64_t)r : (uint64_t)v - (uint64_t)r);
    }
}

static int64_t evaluate(const char *s, int *err)
{
    ep = s;
    eval_error = 0;
    int64_t v = parse_expr();
    skip_ws();
    if (*ep != '\0')
        eval_error = 1;
    *err = eval_error;
    return v;
}

/* ------------------------------------------------------------ binomials */
static uint64_t binom(unsigned n, unsigned k)
{
    calls++;
    if (k == 0 || k == n)
        return 1;
    return binom(n - 1, k - 1) + binom(n - 1, k);
}

int main(void)
{
    cksum_init(&ck);
    kprintf("recursion: recursion test\n");

    kprintf("== ackermann\n");
    for (uint64_t m = 0; m <= 3; m++) {
        for (uint64_t n = 0; n <= (m < 3 ? 6u : 5u); n++) {
            calls = 0;
            depth = max_depth = 0;
            uint64_t r = ack(m, n);
            kprintf("ack(%lu,%lu) = %lu calls=%lu depth=%d\n", m, n, r, calls, max_depth);
            cksum_u64(&ck, r ^ (calls << 16));
        }
    }

    kprintf("== fibonacci\n");
    for (uint32_t n = 0; n <= 20; n++) {
        calls = 0;
        uint32_t f = fib_naive(n);
        kprintf("fib(%u) = %u calls=%lu memo=%lu iter=%lu\n", n, f, calls, fib_memo(n),
                fib_iter(n));
        cksum_u64(&ck, f + calls);
    }
    for (unsigned n = 40; n <= 93; n += 9) {
        kprintf("fib(%u) = %lu %s\n", n, fib_memo(n), fib_memo(n) == fib_iter(n) ? "ok" : "BAD");
        cksum_u64(&ck, fib_memo(n));
    }

    kprintf("== hanoi\n");
    for (int n = 1; n <= 12; n++) {
        heights[0] = heights[1] = heights[2] = 0;
        for (int d = n; d >= 1; d--)
            pegs[0][heights[0]++] = d;
        hanoi_moves = hanoi_hash = 0;
        hanoi_ok = 1;
        print_moves = n == 3;
        hanoi(n, 0, 2, 1);
        int done = heights[2] == n && heights[0] == 0 && heights[1] == 0;
        kprintf("hanoi(%d): moves=%lu hash=%012lx %s\n", n, hanoi_moves, hanoi_hash,
                (hanoi_ok && done && hanoi_moves == (1ULL << n) - 1) ? "ok" : "BAD");
        cksum_u64(&ck, hanoi_hash);
    }

    kprintf("== n-queens\n");
    for (qn = 1; qn <= 8; qn++) {
        solutions = 0;
        qhash = 0x811c9dc5u;
        qnodes = 0;
        queens(0, 0, 0, 0);
        kprintf("queens(%d) = %d solutions, %lu nodes, hash %08x\n", qn, solutions, qnodes,
                qhash);
        cksum_u64(&ck, (uint64_t)solutions << 32 | qhash);
    }
    kprintf("first 8-queens solution:\n");
    for (int r = 0; r < 8; r++) {
        char row[9];
        for (int c = 0; c < 8; c++)
            row[c] = first_board[r] == c ? 'Q' : '.';
        row[8] = '\0';
        kprintf("  %s\n", row);
    }

    kprintf("== permutations\n");
    for (int i = 0; i < 5; i++)
        perm[i] = (char)('a' + i);
    perm[5] = '\0';
    permute(0, 5);
    kprintf("permutations=%d hash=%08x\n", perm_count, perm_hash);
    cksum_u64(&ck, perm_hash);

    kprintf("== mutual recursion\n");
    for (unsigned n = 0; n <= 1000; n += 111) {
        kprintf("even(%u)=%d odd(%u)=%d\n", n, is_even(n), n, is_odd(n));
        cksum_u64(&ck, (uint64_t)is_even(n));
    }

    kprintf("== flood fill\n");
    for (int y = 0; y < GH; y++)
        memcpy(grid[y], grid_init[y], GW + 1);
    {
        char label = 'a';
        for (int y = 0; y < GH; y++) {
            for (int x = 0; x < GW; x++) {
                if (grid[y][x] == '.') {
                    int area = flood(x, y, label);
                    kprintf("region %c at (%d,%d): %d cells\n", label, x, y, area);
                    cksum_u64(&ck, (uint64_t)area);
                    label++;
                }
            }
        }
        for (int y = 0; y < GH; y++) {
            kprintf("  %s\n", grid[y]);
            cksum_bytes(&ck, grid[y], GW);
        }
    }

    kprintf("== expressions\n");
    {
        static const char *const exprs[] = {
            "1 + 2 * 3",
            "(1 + 2) * 3",
            "2 ^ 3 ^ 2",
            "100 / 7 % 5",
            "-(3 - 10) * -2",
            "((((((1+1)*2)+1)*2)+1)*2)",
            "2^62 + 2^62 + 2^62",
            "7 / (3 - 3)",
            "12 * (4 + ",
            "123456789 * 987654321 - 5 ^ 10",
            "-9 / 2 + -9 % 2",
        };
        for (unsigned i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
            int err;
            int64_t v = evaluate(exprs[i], &err);
            if (err)
                kprintf("eval \"%s\" = error\n", exprs[i]);
            else
                kprintf("eval \"%s\" = %ld\n", exprs[i], v);
            cksum_u64(&ck, err ? 0xEEEE : (uint64_t)v);
        }
    }

    kprintf("== binomials (Pascal recursion)\n");
    for (unsigned n = 0; n <= 14; n += 2) {
        kprintf("C(%2u,k):", n);
        calls = 0;
        for (unsigned k = 0; k <= n; k++) {
            uint64_t b = binom(n, k);
            kprintf(" %lu", b);
            cksum_u64(&ck, b);
        }
        kprintf("  [%lu calls]\n", calls);
    }

    kprintf("recursion checksum: %08x\n", ck.h);
    kprintf("recursion done\n");
    return 0;
}
