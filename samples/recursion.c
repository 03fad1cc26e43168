/*
 * recursion.c: deep and bushy call stacks, for backtraces, call-path
 * profiles and the runtime's call-depth limit.
 *
 *   - A recursive-descent parser evaluates an expression nested DEPTH / 5
 *     parentheses deep: expr -> term -> factor -> '(' expr ')', three wasm
 *     frames per level.
 *   - A linked list of DEPTH nodes is hashed recursively, one frame per
 *     node. The hash is combined after the call returns, so the compiler
 *     cannot turn it into a loop, even at -O2.
 *   - Ackermann's function A(3, 6): a shallow (about 500 frames) but bushy
 *     recursion of 172233 calls.
 *
 *   wasmscope run build/samples/recursion.O0.wasm [DEPTH]     (DEPTH = 50000)
 *
 * The default stays under wasmscope's default limit of 100000 nested calls
 * (--max-call-depth); DEPTH = 200000 shows the "call stack exhausted" trap.
 * The module is linked with an 8 MiB shadow stack (-z stack-size), since
 * at -O0 every frame also keeps its locals in linear memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int g_depth;     /* current nesting, updated on entry and exit */
static int g_max_depth; /* deepest nesting seen by the current part */

static void enter(void) {
    if (++g_depth > g_max_depth)
        g_max_depth = g_depth;
}

static void leave(void) { --g_depth; }

static void reset_depth(void) {
    g_depth = 0;
    g_max_depth = 0;
}

/* ---- a recursive-descent parser --------------------------------------- */

#define MODULUS 1000003

typedef struct {
    const char *text;
    size_t pos;
} Parser;

static long parse_expr(Parser *parser);

/* factor := NUMBER | '(' expr ')' */
static long parse_factor(Parser *parser) {
    enter();
    long value = 0;
    if (parser->text[parser->pos] == '(') {
        parser->pos++;
        value = parse_expr(parser);
        parser->pos++; /* ')' */
    } else {
        while (parser->text[parser->pos] >= '0' && parser->text[parser->pos] <= '9')
            value = value * 10 + (parser->text[parser->pos++] - '0');
    }
    leave();
    return value;
}

/* term := factor ('*' factor)* */
static long parse_term(Parser *parser) {
    enter();
    long value = parse_factor(parser);
    while (parser->text[parser->pos] == '*') {
        parser->pos++;
        value = value * parse_factor(parser) % MODULUS;
    }
    leave();
    return value;
}

/* expr := term (('+' | '-') term)* */
static long parse_expr(Parser *parser) {
    enter();
    long value = parse_term(parser);
    for (;;) {
        char op = parser->text[parser->pos];
        if (op != '+' && op != '-')
            break;
        parser->pos++;
        long rhs = parse_term(parser);
        value = (op == '+' ? value + rhs : value - rhs + MODULUS) % MODULUS;
    }
    leave();
    return value;
}

/* Builds "(1+2*(3-(4+5*(...(7)...))))" nested `levels` deep. */
static char *make_nested_expression(int levels) {
    static const char kOps[] = {'+', '*', '-'};
    char *text = malloc((size_t)levels * 5 + 2);
    size_t length = 0;
    for (int i = 0; i < levels; ++i) {
        text[length++] = '(';
        text[length++] = (char)('1' + i % 9);
        text[length++] = kOps[i % 3];
    }
    text[length++] = '7';
    for (int i = 0; i < levels; ++i)
        text[length++] = ')';
    text[length] = '\0';
    return text;
}

/* ---- recursion over a linked list ------------------------------------- */

typedef struct Node {
    uint32_t value;
    struct Node *next;
} Node;

/* Hashes the rest of the list first, then mixes this node in. */
static uint32_t list_hash(const Node *node) {
    if (!node)
        return 2166136261u;
    enter();
    uint32_t rest = list_hash(node->next);
    leave();
    return (rest ^ node->value) * 16777619u + (rest >> 7);
}

/* ---- Ackermann's function --------------------------------------------- */

static long g_ackermann_calls;

static unsigned long ackermann(unsigned long m, unsigned long n) {
    ++g_ackermann_calls;
    enter();
    unsigned long result;
    if (m == 0)
        result = n + 1;
    else if (n == 0)
        result = ackermann(m - 1, 1);
    else
        result = ackermann(m - 1, ackermann(m, n - 1));
    leave();
    return result;
}

/* ---- main ------------------------------------------------------------- */

int main(int argc, char **argv) {
    int depth = argc > 1 ? atoi(argv[1]) : 50000;
    if (depth < 5) {
        fprintf(stderr, "usage: recursion [DEPTH >= 5]\n");
        return 2;
    }

    int levels = depth / 5;
    char *text = make_nested_expression(levels);
    Parser parser = {text, 0};
    reset_depth();
    long value = parse_expr(&parser);
    printf("expression nested %d deep (%zu chars) = %ld, max depth %d\n", levels, strlen(text),
           value, g_max_depth);
    free(text);

    Node *nodes = malloc((size_t)depth * sizeof *nodes);
    for (int i = 0; i < depth; ++i) {
        nodes[i].value = (uint32_t)i * 2654435761u;
        nodes[i].next = i + 1 < depth ? &nodes[i + 1] : NULL;
    }
    reset_depth();
    uint32_t hash = list_hash(nodes);
    printf("list of %d nodes: hash %08x, max depth %d\n", depth, (unsigned)hash, g_max_depth);
    free(nodes);

    reset_depth();
    unsigned long a = ackermann(3, 6);
    printf("ackermann(3, 6) = %lu in %ld calls, max depth %d\n", a, g_ackermann_calls,
           g_max_depth);
    return 0;
}
