/* A small stack-machine interpreter running a bytecode program (the total
 * number of Collatz steps for 1..n): the switch-dispatch loop that every
 * interpreter is built around, here interpreted in turn. The program is
 * assembled at run time, with forward jumps patched through labels. */
#include "kernel.h"

enum Op {
  OP_HALT,
  OP_PUSH,  /* imm: push imm */
  OP_LOAD,  /* r: push reg[r] */
  OP_STORE, /* r: reg[r] = pop */
  OP_INC,   /* r: ++reg[r] */
  OP_ADD,
  OP_MUL,
  OP_AND,
  OP_SHR,   /* a >> b, unsigned */
  OP_EQ,
  OP_GT,
  OP_JMP,   /* target */
  OP_JZ,    /* target: jump if pop == 0 */
  OP_JNZ,   /* target: jump if pop != 0 */
};

#define MAX_CODE 128
#define MAX_LABELS 8
#define STACK_SIZE 64

typedef struct {
  i64 code[MAX_CODE];
  int size;
  int labels[MAX_LABELS];
  int fixups[MAX_CODE]; /* label + 1 for each operand to patch, else 0 */
} Assembler;

static void emit(Assembler* as, enum Op op) { as->code[as->size++] = op; }

static void emitArg(Assembler* as, enum Op op, i64 arg) {
  as->code[as->size++] = op;
  as->code[as->size++] = arg;
}

static void emitJump(Assembler* as, enum Op op, int label) {
  as->code[as->size++] = op;
  as->fixups[as->size] = label + 1;
  as->code[as->size++] = 0;
}

static void bind(Assembler* as, int label) { as->labels[label] = as->size; }

static void link(Assembler* as) {
  for (int i = 0; i < as->size; ++i)
    if (as->fixups[i])
      as->code[i] = as->labels[as->fixups[i] - 1];
}

enum { R_LIMIT, R_I, R_TOTAL, R_X };
enum { L_LOOP_I, L_LOOP_X, L_EVEN, L_COUNT, L_NEXT_I, L_END };

static void assembleCollatz(Assembler* as) {
  for (int i = 0; i < MAX_CODE; ++i)
    as->fixups[i] = 0;
  as->size = 0;
  bind(as, L_LOOP_I); /* while (i <= limit) */
  emitArg(as, OP_LOAD, R_I);
  emitArg(as, OP_LOAD, R_LIMIT);
  emit(as, OP_GT);
  emitJump(as, OP_JNZ, L_END);
  emitArg(as, OP_LOAD, R_I); /* x = i */
  emitArg(as, OP_STORE, R_X);
  bind(as, L_LOOP_X); /* while (x != 1) */
  emitArg(as, OP_LOAD, R_X);
  emitArg(as, OP_PUSH, 1);
  emit(as, OP_EQ);
  emitJump(as, OP_JNZ, L_NEXT_I);
  emitArg(as, OP_LOAD, R_X); /* if (x & 1) x = 3x + 1 */
  emitArg(as, OP_PUSH, 1);
  emit(as, OP_AND);
  emitJump(as, OP_JZ, L_EVEN);
  emitArg(as, OP_LOAD, R_X);
  emitArg(as, OP_PUSH, 3);
  emit(as, OP_MUL);
  emitArg(as, OP_PUSH, 1);
  emit(as, OP_ADD);
  emitArg(as, OP_STORE, R_X);
  emitJump(as, OP_JMP, L_COUNT);
  bind(as, L_EVEN); /* else x >>= 1 */
  emitArg(as, OP_LOAD, R_X);
  emitArg(as, OP_PUSH, 1);
  emit(as, OP_SHR);
  emitArg(as, OP_STORE, R_X);
  bind(as, L_COUNT);
  emitArg(as, OP_INC, R_TOTAL);
  emitJump(as, OP_JMP, L_LOOP_X);
  bind(as, L_NEXT_I);
  emitArg(as, OP_INC, R_I);
  emitJump(as, OP_JMP, L_LOOP_I);
  bind(as, L_END);
  emitArg(as, OP_LOAD, R_TOTAL);
  emit(as, OP_HALT);
  link(as);
}

/* Runs `code` with the given registers; returns the top of stack at HALT,
 * or -1 on a malformed program. */
static i64 execute(const i64* code, int size, i64* reg) {
  i64 stack[STACK_SIZE];
  int sp = 0;
  int pc = 0;
  for (;;) {
    if (pc < 0 || pc >= size)
      return -1;
    switch ((enum Op)code[pc++]) {
    case OP_HALT:
      return sp > 0 ? stack[sp - 1] : 0;
    case OP_PUSH:
      stack[sp++] = code[pc++];
      break;
    case OP_LOAD:
      stack[sp++] = reg[code[pc++]];
      break;
    case OP_STORE:
      reg[code[pc++]] = stack[--sp];
      break;
    case OP_INC:
      ++reg[code[pc++]];
      break;
    case OP_ADD:
      --sp;
      stack[sp - 1] += stack[sp];
      break;
    case OP_MUL:
      --sp;
      stack[sp - 1] *= stack[sp];
      break;
    case OP_AND:
      --sp;
      stack[sp - 1] &= stack[sp];
      break;
    case OP_SHR:
      --sp;
      stack[sp - 1] = (i64)((u64)stack[sp - 1] >> stack[sp]);
      break;
    case OP_EQ:
      --sp;
      stack[sp - 1] = stack[sp - 1] == stack[sp];
      break;
    case OP_GT:
      --sp;
      stack[sp - 1] = stack[sp - 1] > stack[sp];
      break;
    case OP_JMP:
      pc = (int)code[pc];
      break;
    case OP_JZ:
      pc = stack[--sp] == 0 ? (int)code[pc] : pc + 1;
      break;
    case OP_JNZ:
      pc = stack[--sp] != 0 ? (int)code[pc] : pc + 1;
      break;
    default:
      return -1;
    }
    if (sp < 0 || sp >= STACK_SIZE)
      return -1;
  }
}

static Assembler g_assembler;

static long long kernel(int n) {
  assembleCollatz(&g_assembler);
  i64 reg[4] = {n, 1, 0, 0};
  i64 total = execute(g_assembler.code, g_assembler.size, reg);
  u64 sum = mixChecksum(1469598103934665603ull, (u64)total);
  return (long long)(mixChecksum(sum, (u64)reg[R_I]) >> 1);
}

KERNEL_ENTRY(50000, 3000)
