/*
 * vm.c - a small stack-machine bytecode interpreter: switch dispatch (jump
 * tables), calls and returns on a separate return stack, local variables,
 * conditional branches, memory cells, and a second dispatcher through a
 * table of function pointers that must agree with the first.  Runs several
 * bytecode programs (sum, factorial, gcd, primes, a Collatz search, a
 * recursive Fibonacci) with a traced first program, plus a table-driven
 * finite-state machine that recognises numbers in text.
 */
#include "libmini.h"

int main(void);

enum op {
    OP_HALT, OP_PUSH, OP_POP, OP_DUP, OP_SWAP, OP_OVER,
    OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_NEG,
    OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHR,
    OP_EQ, OP_LT, OP_GT, OP_NOT,
    OP_JMP, OP_JZ, OP_JNZ, OP_CALL, OP_RET,
    OP_LOAD, OP_STORE, OP_PRINT,
    OP_COUNT
};

static const char *const op_names[OP_COUNT] = {
    "halt", "push", "pop", "dup", "swap", "over",
    "add", "sub", "mul", "div", "mod", "neg",
    "and", "or", "xor", "shl", "shr",
    "eq", "lt", "gt", "not",
    "jmp", "jz", "jnz", "call", "ret",
    "load", "store", "print",
};

/* ops followed by one 32-bit operand word */
static const unsigned char operand_words[OP_COUNT] = {
    [OP_PUSH] = 1, [OP_JMP] = 1, [OP_JZ] = 1, [OP_JNZ] = 1,
    [OP_CALL] = 1, [OP_LOAD] = 1, [OP_STORE] = 1,
};

static int has_operand(int op)
{
    return op >= 0 && op < OP_COUNT && operand_words[op];
}

#define STACK 256
#define MEM 64

struct vm {
    const int32_t *code;
    int pc, sp, rsp;
    int64_t stack[STACK];
    int rstack[STACK];
    int64_t mem[MEM];
    uint64_t steps;
    uint32_t out_hash;
    int trace, error, nprint, quiet;
};

static cksum_t ck;

static void vm_reset(struct vm *m, const int32_t *code)
{
    memset(m, 0, sizeof *m);
    m->code = code;
    m->out_hash = 0x811c9dc5u;
}

static void vm_output(struct vm *m, int64_t v)
{
    m->out_hash = (m->out_hash ^ (uint32_t)v) * 0x01000193u;
    m->out_hash = (m->out_hash ^ (uint32_t)((uint64_t)v >> 32)) * 0x01000193u;
    if (!m->quiet || m->nprint < 8)
        kprintf("  out: %ld\n", v);
    m->nprint++;
}

static int64_t pop(struct vm *m)
{
    if (m->sp <= 0) {
        m->error = 1;
        return 0;
    }
    return m->stack[--m->sp];
}

static void push(struct vm *m, int64_t v)
{
    if (m->sp >= STACK) {
        m->error = 2;
        return;
    }
    m->stack[m->sp++] = v;
}

static int64_t wrap_add(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a + (uint64_t)b);
}

static int64_t wrap_sub(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a - (uint64_t)b);
}

static int64_t wrap_mul(int64_t a, int64_t b)
{
    return (int64_t)((uint64_t)a * (uint64_t)b);
}

/* one instruction, switch dispatch; returns 0 to stop */
static int step_switch(struct vm *m)
{
    int op = m->code[m->pc];
    int wide = has_operand(op);
    int32_t arg = wide ? m->code[m->pc + 1] : 0;
    if (m->trace) {
        kprintf("  pc=%3d sp=%d top=%ld %s", m->pc, m->sp, m->sp ? m->stack[m->sp - 1] : 0L,
                op >= 0 && op < OP_COUNT ? op_names[op] : "???");
        if (wide)
            kprintf(" %d", arg);
        kprintf("\n");
    }
    m->pc += wide ? 2 : 1;
    m->steps++;
    int64_t a, b;
    switch (op) {
    case OP_HALT:
        return 0;
    case OP_PUSH:
        push(m, arg);
        break;
    case OP_POP:
        pop(m);
        break;
    case OP_DUP:
        a = pop(m);
        push(m, a);
        push(m, a);
        break;
    case OP_SWAP:
        b = pop(m);
        a = pop(m);
        push(m, b);
        push(m, a);
        break;
    case OP_OVER:
        b = pop(m);
        a = pop(m);
        push(m, a);
        push(m, b);
        push(m, a);
        break;
    case OP_ADD:
        b = pop(m);
        a = pop(m);
        push(m, wrap_add(a, b));
        break;
    case OP_SUB:
        b = pop(m);
        a = pop(m);
        push(m, wrap_sub(a, b));
        break;
    case OP_MUL:
        b = pop(m);
        a = pop(m);
        push(m, wrap_mul(a, b));
        break;
    case OP_DIV:
    case OP_MOD:
        b = pop(m);
        a = pop(m);
        if (b == 0 || (b == -1 && a == (int64_t)0x8000000000000000ULL)) {
            m->error = 3;
            return 0;
        }
        push(m, op == OP_DIV ? a / b : a % b);
        break;
    case OP_NEG:
        push(m, wrap_sub(0, pop(m)));
        break;
    case OP_AND:
        b = pop(m);
        a = pop(m);
        push(m, a & b);
        break;
    case OP_OR:
        b = pop(m);
        a = pop(m);
        push(m, a | b);
        break;
    case OP_XOR:
        b = pop(m);
        a = pop(m);
        push(m, a ^ b);
        break;
    case OP_SHL:
        b = pop(m);
        a = pop(m);
        push(m, (int64_t)((uint64_t)a << (b & 63)));
        break;
    case OP_SHR:
        b = pop(m);
        a = pop(m);
        push(m, (int64_t)((uint64_t)a >> (b & 63)));
        break;
    case OP_EQ:
        b = pop(m);
        a = pop(m);
        push(m, a == b);
        break;
    case OP_LT:
        b = pop(m);
        a = pop(m);
        push(m, a < b);
        break;
    case OP_GT:
        b = pop(m);
        a = pop(m);
        push(m, a > b);
        break;
    case OP_NOT:
        push(m, !pop(m));
        break;
    case OP_JMP:
        m->pc = arg;
        break;
    case OP_JZ:
        if (pop(m) == 0)
            m->pc = arg;
        break;
    case OP_JNZ:
        if (pop(m) != 0)
            m->pc = arg;
        break;
    case OP_CALL:
        if (m->rsp >= STACK) {
            m->error = 4;
            return 0;
        }
        m->rstack[m->rsp++] = m->pc;
        m->pc = arg;
        break;
    case OP_RET:
        if (m->rsp <= 0) {
            m->error = 5;
            return 0;
        }
        m->pc = m->rstack[--m->rsp];
        break;
    case OP_LOAD:
        push(m, m->mem[arg & (MEM - 1)]);
        break;
    case OP_STORE:
        m->mem[arg & (MEM - 1)] = pop(m);
        break;
    case OP_PRINT:
        vm_output(m, pop(m));
        break;
    default:
        m->error = 6;
        return 0;
    }
    return m->error == 0;
}

/* ------------------------------------------------------------ table dispatch */
typedef void (*handler)(struct vm *m, int32_t arg);

static void h_push(struct vm *m, int32_t arg) { push(m, arg); }
static void h_pop(struct vm *m, int32_t arg) { (void)arg; pop(m); }
static void h_dup(struct vm *m, int32_t arg) { (void)arg; int64_t a = pop(m); push(m, a); push(m, a); }
static void h_swap(struct vm *m, int32_t arg) { (void)arg; int64_t b = pop(m), a = pop(m); push(m, b); push(m, a); }
static void h_over(struct vm *m, int32_t arg) { (void)arg; int64_t b = pop(m), a = pop(m); push(m, a); push(m, b); push(m, a); }
static void h_add(struct vm *m, int32_t arg) { (void)arg; int64_t b = pop(m), a = pop(m); push(m, wrap_add(a, b)); }
static void h_sub(struct vm *m, int32_t arg) { (void)arg; int64_t b = pop(m), a = pop(m); push(m, wrap_sub(a, b)); }
static void h_mul(struct vm *m, int32_t arg) { (void)arg; int64_t b = pop(m), a = pop(m); push(m, wrap_mul(a, b)); }
static void h_divmod(struct vm *m, int32_t arg)
{
    int64_t b = pop(m), a = pop(m);
    if (b == 0 || (b == -1 && a == (int64_t)0x8000000000000000ULL)) {
        m->error = 3;
        return;
    }
    push(m, arg == OP_DIV ? a / b : a % b);
}
static void h_neg(struct vm *m, int32_t arg) { (void)arg; push(m, wrap_sub(0, pop(m))); }
static void h_and(struct vm *m, int32_t arg) { (void)arg; int64_t b = pop(m), a = pop(m); push(m, a & b); }
static void h_or(struct vm *m, int32_t arg) { (void)arg; int64_t b = pop(m), a = pop(m); push(m, a | b); }
static void h_xor(struct vm *m, int32_t arg) { (void)arg; int64_t b = pop(m), a = pop(m); push(m, a ^ b); }
static void h_shl(struct vm *m, int32_t arg) { (void)arg; int64_t b = pop(m), a = pop(m); push(m, (int64_t)((uint64_t)a << (b & 63))); }
static void h_shr(struct vm *m, int32_t arg) { (void)arg; int64_t b = pop(m), a = pop(m); push(m, (int64_t)((uint64_t)a >> (b & 63))); }
static void h_eq(struct vm *m, int32_t arg) { (void)arg; int64_t b = pop(m), a = pop(m); push(m, a == b); }
static void h_lt(struct vm *m, int32_t arg) { (void)arg; int64_t b = pop(m), a = pop(m); push(m, a < b); }
static void h_gt(struct vm *m, int32_t arg) { (void)arg; int64_t b = pop(m), a = pop(m); push(m, a > b); }
static void h_not(struct vm *m, int32_t arg) { (void)arg; push(m, !pop(m)); }
static void h_jmp(struct vm *m, int32_t arg) { m->pc = arg; }
static void h_jz(struct vm *m, int32_t arg) { if (pop(m) == 0) m->pc = arg; }
static void h_jnz(struct vm *m, int32_t arg) { if (pop(m) != 0) m->pc = arg; }
static void h_call(struct vm *m, int32_t arg)
{
    if (m->rsp >= STACK) {
        m->error = 4;
        return;
    }
    m->rstack[m->rsp++] = m->pc;
    m->pc = arg;
}
static void h_ret(struct vm *m, int32_t arg)
{
    (void)arg;
    if (m->rsp <= 0) {
        m->error = 5;
        return;
    }
    m->pc = m->rstack[--m->rsp];
}
static void h_load(struct vm *m, int32_t arg) { push(m, m->mem[arg & (MEM - 1)]); }
static void h_store(struct vm *m, int32_t arg) { m->mem[arg & (MEM - 1)] = pop(m); }
static void h_print(struct vm *m, int32_t arg) { (void)arg; vm_output(m, pop(m)); }

static const handler handlers[OP_COUNT] = {
    [OP_PUSH] = h_push, [OP_POP] = h_pop, [OP_DUP] = h_dup, [OP_SWAP] = h_swap,
    [OP_OVER] = h_over, [OP_ADD] = h_add, [OP_SUB] = h_sub, [OP_MUL] = h_mul,
    [OP_DIV] = h_divmod, [OP_MOD] = h_divmod, [OP_NEG] = h_neg, [OP_AND] = h_and,
    [OP_OR] = h_or, [OP_XOR] = h_xor, [OP_SHL] = h_shl, [OP_SHR] = h_shr,
    [OP_EQ] = h_eq, [OP_LT] = h_lt, [OP_GT] = h_gt, [OP_NOT] = h_not,
    [OP_JMP] = h_jmp, [OP_JZ] = h_jz, [OP_JNZ] = h_jnz, [OP_CALL] = h_call,
    [OP_RET] = h_ret, [OP_LOAD] = h_load, [OP_STORE] = h_store, [OP_PRINT] = h_print,
};

static int step_table(struct vm *m)
{
    int op = m->code[m->pc];
    if (op == OP_HALT)
        return 0;
    if (op < 0 || op >= OP_COUNT || handlers[op] == NULL) {
        m->error = 6;
        return 0;
    }
    int wide = has_operand(op);
    int32_t arg = wide ? m->code[m->pc + 1] : op;
    m->pc += wide ? 2 : 1;
    m->steps++;
    handlers[op](m, arg);
    return m->error == 0;
}

/* ------------------------------------------------------------ programs */
#define P(x) OP_##x
/* print the sum 1..100 and the sum of squares 1..100 */
static const int32_t prog_sum[] = {
    P(PUSH), 0, P(STORE), 0,        /* 0: s = 0 */
    P(PUSH), 1, P(STORE), 1,        /* 4: i = 1 */
    P(LOAD), 0, P(LOAD), 1, P(ADD), P(STORE), 0, /* 8: s += i */
    P(LOAD), 1, P(PUSH), 1, P(ADD), P(DUP), P(STORE), 1, /* 15: i++ */
    P(PUSH), 101, P(LT), P(JNZ), 8, /* 23: while i < 101 */
    P(LOAD), 0, P(PRINT),           /* 28 */
    P(PUSH), 0, P(STORE), 0, P(PUSH), 100, P(STORE), 1, /* 31: s = 0, i = 100 */
    P(LOAD), 1, P(DUP), P(MUL), P(LOAD), 0, P(ADD), P(STORE), 0, /* 39: s += i*i */
    P(LOAD), 1, P(PUSH), 1, P(SUB), P(DUP), P(STORE), 1, P(JNZ), 39, /* 48 */
    P(LOAD), 0, P(PRINT), P(HALT),
};

/* factorials 1..20 via a subroutine: fact(n) with n on the stack */
static const int32_t prog_fact[] = {
    P(PUSH), 1, P(STORE), 2,                  /* 0: k = 1 */
    P(LOAD), 2, P(CALL), 24, P(PRINT),        /* 4: print fact(k) */
    P(LOAD), 2, P(PUSH), 1, P(ADD), P(DUP), P(STORE), 2, /* 9: k++ */
    P(PUSH), 21, P(LT), P(JNZ), 4,            /* 17 */
    P(HALT),                                  /* 22 */
    P(HALT),                                  /* 23 (padding) */
    /* 24: fact: ( n -- n! ) iterative, using mem[3] as accumulator */
    P(PUSH), 1, P(STORE), 3,                  /* 24 */
    P(DUP), P(JZ), 42,                        /* 28 */
    P(DUP), P(LOAD), 3, P(MUL), P(STORE), 3,  /* 31 */
    P(PUSH), 1, P(SUB), P(JMP), 28,           /* 37 */
    P(POP), P(LOAD), 3, P(RET),               /* 42 */
};

/* gcd of pairs by repeated modulo; pairs pushed as data */
static const int32_t prog_gcd[] = {
    P(PUSH), 1071, P(PUSH), 462, P(CALL), 32,
    P(PUSH), 123456, P(PUSH), 7890, P(CALL), 32,
    P(PUSH), 1000000007, P(PUSH), 998244353, P(CALL), 32,
    P(PUSH), 270, P(PUSH), 192, P(CALL), 32,
    P(PUSH), 17, P(PUSH), 0, P(CALL), 32,
    P(HALT), P(HALT),
    /* 32: gcd ( a b -- ) prints gcd */
    P(DUP), P(JZ), 41,                        /* 32 */
    P(SWAP), P(OVER), P(MOD), P(JMP), 32,     /* 35 */
    P(HALT),                                  /* 40 (unused) */
    P(POP), P(PRINT), P(RET),                 /* 41 */
};

/* count primes below 250 by trial division; print every 10th prime */
static const int32_t prog_primes[] = {
    P(PUSH), 0, P(STORE), 0,                  /* 0: count = 0 */
    P(PUSH), 2, P(STORE), 1,                  /* 4: n = 2 */
    /* 8: outer loop */
    P(PUSH), 2, P(STORE), 2,                  /* 8: d = 2 */
    /* 12: inner: if d*d > n -> prime */
    P(LOAD), 2, P(DUP), P(MUL), P(LOAD), 1, P(GT), P(JNZ), 40, /* 12 */
    P(LOAD), 1, P(LOAD), 2, P(MOD), P(JZ), 64, /* 21: n % d == 0 -> composite */
    P(LOAD), 2, P(PUSH), 1, P(ADD), P(STORE), 2, P(JMP), 12, /* 28: d++ */
    P(HALT), P(HALT), P(HALT),                /* 37 */
    /* 40: prime */
    P(LOAD), 0, P(PUSH), 1, P(ADD), P(DUP), P(STORE), 0, /* 40: count++ */
    P(PUSH), 10, P(MOD), P(JNZ), 64,          /* 48 */
    P(LOAD), 1, P(PRINT), P(JMP), 64,         /* 53 */
    P(HALT), P(HALT), P(HALT), P(HALT), P(HALT), P(HALT), /* 58 */
    /* 64: next n */
    P(LOAD), 1, P(PUSH), 1, P(ADD), P(DUP), P(STORE), 1, /* 64 */
    P(PUSH), 250, P(LT), P(JNZ), 8,           /* 72 */
    P(LOAD), 0, P(PRINT), P(HALT),            /* 77 */
};

/* recursive fibonacci through the return stack: fib(n) for n = 0..11 */
static const int32_t prog_fib[] = {
    P(PUSH), 0, P(STORE), 5,                  /* 0: n = 0 */
    P(LOAD), 5, P(CALL), 24, P(PRINT),        /* 4 */
    P(LOAD), 5, P(PUSH), 1, P(ADD), P(DUP), P(STORE), 5, /* 9 */
    P(PUSH), 12, P(LT), P(JNZ), 4,            /* 17 */
    P(HALT), P(HALT),                         /* 22 */
    /* 24: fib ( n -- f ) */
    P(DUP), P(PUSH), 2, P(LT), P(JNZ), 45,    /* 24: n < 2 -> return n */
    P(DUP), P(PUSH), 1, P(SUB), P(CALL), 24,  /* 30: fib(n-1) */
    P(SWAP), P(PUSH), 2, P(SUB), P(CALL), 24, /* 36: fib(n-2) */
    P(ADD), P(RET),                           /* 42 */
    P(HALT),                                  /* 44 */
    P(RET),                                   /* 45 */
};

/* longest Collatz chain start below 40 (64-bit values, AND, SHR) */
static const int32_t prog_collatz[] = {
    P(PUSH), 1, P(STORE), 0,                  /* 0: n = 1 */
    P(PUSH), 0, P(STORE), 1,                  /* 4: best steps = 0 */
    P(LOAD), 0, P(STORE), 2, P(PUSH), 0, P(STORE), 3, /* 8: x = n, steps = 0 */
    P(LOAD), 2, P(PUSH), 1, P(EQ), P(JNZ), 58, /* 16: x == 1 -> done */
    P(LOAD), 2, P(PUSH), 1, P(AND), P(JZ), 40, /* 23: even -> 40 */
    P(LOAD), 2, P(PUSH), 3, P(MUL), P(PUSH), 1, P(ADD), P(JMP), 45, /* 30: 3x+1 */
    P(LOAD), 2, P(PUSH), 1, P(SHR),           /* 40: x >> 1 */
    P(STORE), 2,                              /* 45 */
    P(LOAD), 3, P(PUSH), 1, P(ADD), P(STORE), 3, /* 47: steps++ */
    P(JMP), 16,                               /* 54 */
    P(HALT), P(HALT),                         /* 56 */
    P(LOAD), 3, P(LOAD), 1, P(GT), P(JZ), 76, /* 58: steps > best ? */
    P(LOAD), 3, P(STORE), 1, P(LOAD), 0, P(STORE), 4, P(LOAD), 0, P(PRINT), /* 65 */
    P(LOAD), 0, P(PUSH), 1, P(ADD), P(DUP), P(STORE), 0, /* 76: n++ */
    P(PUSH), 40, P(LT), P(JNZ), 8,            /* 84 */
    P(LOAD), 4, P(PRINT), P(LOAD), 1, P(PRINT), P(HALT), /* 89 */
};

/* deliberately faulting program: division by zero */
static const int32_t prog_fault[] = {
    P(PUSH), 10, P(PUSH), 0, P(DIV), P(PRINT), P(HALT),
};

struct program {
    const char *name;
    const int32_t *code;
    int len;
    int quiet;
};

#define PROG(name, code, quiet) { name, code, (int)(sizeof code / sizeof code[0]), quiet }

static const struct program programs[] = {
    PROG("sum", prog_sum, 0),
    PROG("fact", prog_fact, 0),
    PROG("gcd", prog_gcd, 0),
    PROG("primes", prog_primes, 1),
    PROG("fib", prog_fib, 0),
    PROG("collatz", prog_collatz, 0),
    PROG("fault", prog_fault, 0),
};

static struct vm vm1, vm2;

/* ------------------------------------------------------------ FSM */
enum cls { C_DIGIT, C_SIGN, C_DOT, C_SPACE, C_OTHER, C_NCLS };
enum st { S_START, S_SIGN, S_INT, S_DOT, S_FRAC, S_JUNK, S_NST };

static const unsigned char fsm[S_NST][C_NCLS] = {
    /*            digit   sign    dot     space    other */
    [S_START] = { S_INT, S_SIGN, S_JUNK, S_START, S_JUNK },
    [S_SIGN] = { S_INT, S_JUNK, S_JUNK, S_START, S_JUNK },
    [S_INT] = { S_INT, S_JUNK, S_DOT, S_START, S_JUNK },
    [S_DOT] = { S_FRAC, S_JUNK, S_JUNK, S_START, S_JUNK },
    [S_FRAC] = { S_FRAC, S_JUNK, S_JUNK, S_START, S_JUNK },
    [S_JUNK] = { S_JUNK, S_JUNK, S_JUNK, S_START, S_JUNK },
};

static enum cls classify(char c)
{
    if (c >= '0' && c <= '9')
        return C_DIGIT;
    if (c == '+' || c == '-')
        return C_SIGN;
    if (c == '.')
        return C_DOT;
    if (c == ' ' || c == '\0')
        return C_SPACE;
    return C_OTHER;
}

int main(void)
{
    cksum_init(&ck);
    kprintf("vm: bytecode interpreter test\n");

    kprintf("== traced run of 'gcd' (first 40 steps)\n");
    vm_reset(&vm1, prog_gcd);
    vm1.trace = 1;
    for (int i = 0; i < 40 && step_switch(&vm1); i++)
        ;

    for (unsigned p = 0; p < sizeof programs / sizeof programs[0]; p++) {
        const struct program *pr = &programs[p];
        kprintf("== program '%s' (switch dispatch)\n", pr->name);
        vm_reset(&vm1, pr->code);
        vm1.quiet = pr->quiet;
        while (step_switch(&vm1) && vm1.steps < 5000000)
            ;
        kprintf("  steps=%lu outputs=%d hash=%08x error=%d sp=%d rsp=%d\n", vm1.steps,
                vm1.nprint, vm1.out_hash, vm1.error, vm1.sp, vm1.rsp);

        vm_reset(&vm2, pr->code);
        vm2.quiet = 2; /* no per-output lines: only the summary is compared */
        vm2.nprint = 1 << 20;
        while (step_table(&vm2) && vm2.steps < 5000000)
            ;
        int same = vm1.steps == vm2.steps && vm1.out_hash == vm2.out_hash &&
                   vm1.error == vm2.error && vm1.sp == vm2.sp &&
                   memcmp(vm1.mem, vm2.mem, sizeof vm1.mem) == 0;
        kprintf("  table dispatch: steps=%lu hash=%08x %s\n", vm2.steps, vm2.out_hash,
                same ? "agrees" : "DISAGREES");
        cksum_u64(&ck, vm1.steps);
        cksum_u64(&ck, vm1.out_hash);
        cksum_u64(&ck, (uint64_t)vm1.error);
    }

    kprintf("== opcode histogram of all programs\n");
    {
        int hist[OP_COUNT] = { 0 };
        for (unsigned p = 0; p < sizeof programs / sizeof programs[0]; p++) {
            const int32_t *c = programs[p].code;
            int pc = 0;
            while (pc < programs[p].len) {
                int op = c[pc];
                hist[op]++;
                pc += has_operand(op) ? 2 : 1;
            }
            kprintf("  %-8s %3d words\n", programs[p].name, programs[p].len);
        }
        for (int i = 0; i < OP_COUNT; i++) {
            if (hist[i])
                kprintf("  %-6s %d\n", op_names[i], hist[i]);
            cksum_u64(&ck, (uint64_t)hist[i]);
        }
    }

    kprintf("== number-recognising FSM\n");
    {
        static const char *const lines[] = {
            "12 -7 +3.25 4. .5 x1 1x 007 -0.001 ++1",
            "  3.14159 2.71828 -1 - + . 42",
            "",
            "no numbers here!",
        };
        for (unsigned l = 0; l < sizeof lines / sizeof lines[0]; l++) {
            const char *s = lines[l];
            int ints = 0, fracs = 0, junk = 0;
            enum st st = S_START;
            char tok[32];
            int tl = 0;
            kprintf("line %u:", l);
            for (size_t i = 0;; i++) {
                char c = s[i];
                enum cls k = classify(c);
                enum st nx = (enum st)fsm[st][k];
                if (k == C_SPACE) {
                    if (tl > 0) {
                        tok[tl] = '\0';
                        const char *kind = st == S_INT    ? "int"
                                           : st == S_FRAC ? "frac"
                                                          : "junk";
                        if (st == S_INT)
                            ints++;
                        else if (st == S_FRAC)
                            fracs++;
                        else
                            junk++;
                        kprintf(" %s:%s", kind, tok);
                        cksum_bytes(&ck, tok, (size_t)tl);
                    }
                    tl = 0;
                } else if (tl < 31) {
                    tok[tl++] = c;
                }
                st = nx;
                if (c == '\0')
                    break;
            }
            kprintf("\n  ints=%d fracs=%d junk=%d\n", ints, fracs, junk);
            cksum_u64(&ck, (uint64_t)(ints * 10000 + fracs * 100 + junk));
        }
    }

    kprintf("vm checksum: %08x\n", ck.h);
    kprintf("vm done\n");
    return 0;
}
