/* scriptvm: a small dynamically typed bytecode VM, built like the cores of
 * Lua and QuickJS, running a script workload: recursive calls through
 * global lookups, string building and interning, table inserts and reads
 * through an array part and a hash part, closures with upvalues, and calls
 * to native library functions.
 *
 * What it stresses in the engine running it: an indirect call per bytecode
 * (the opcode handlers are a table of function pointers), many small real
 * calls per bytecode (table get/set, hashing, string interning, allocation),
 * memory-resident interpreter state, a mark-and-sweep collector walking
 * linked objects, malloc/free of many small objects.
 *
 * The script is assembled at start-up with a tiny assembler (labels patched
 * on placement); there is no parser. Usage: scriptvm [small | SIZE]. */
#include "program.h"

/* ---- Values and heap objects ---- */

typedef enum { T_NIL, T_BOOL, T_INT, T_STR, T_TABLE, T_CLOSURE, T_NATIVE } ValueType;

struct VM;
struct String;
struct Table;
struct Closure;
struct Value;
typedef int (*NativeFn)(struct VM* vm, struct Value* args, int nargs, struct Value* result);

typedef struct Value {
  uint8_t type;
  union {
    int64_t i;
    struct String* s;
    struct Table* t;
    struct Closure* f;
    NativeFn native;
  } as;
} Value;

typedef struct Obj {
  struct Obj* next; /* every heap object, for the sweep */
  uint8_t type;
  uint8_t marked;
} Obj;

typedef struct String {
  Obj obj;
  struct String* nextInBucket; /* the intern table's chain */
  uint32_t hash;
  uint32_t length;
  char chars[];
} String;

typedef struct {
  Value key;
  Value value;
} TableEntry;

typedef struct Table {
  Obj obj;
  Value* array; /* keys 1..arrayCount */
  uint32_t arrayCount, arrayCapacity;
  TableEntry* entries; /* open addressing, linear probing; key nil = free */
  uint32_t entryCount, entryCapacity;
} Table;

typedef struct Proto {
  const char* name;
  uint32_t* code;
  uint32_t codeCount, codeCapacity;
  Value* constants;
  uint32_t constantCount, constantCapacity;
  int numParams;
  int numLocals; /* params included */
  int numUpvalues;
} Proto;

typedef struct Closure {
  Obj obj;
  Proto* proto;
  int numUpvalues;
  Value upvalues[];
} Closure;

static Value nilValue(void) { Value v; v.type = T_NIL; v.as.i = 0; return v; }
static Value intValue(int64_t i) { Value v; v.type = T_INT; v.as.i = i; return v; }
static Value boolValue(int b) { Value v; v.type = T_BOOL; v.as.i = b != 0; return v; }
static Value stringValue(String* s) { Value v; v.type = T_STR; v.as.s = s; return v; }
static Value tableValue(Table* t) { Value v; v.type = T_TABLE; v.as.t = t; return v; }
static Value closureValue(Closure* f) { Value v; v.type = T_CLOSURE; v.as.f = f; return v; }
static Value nativeValue(NativeFn f) { Value v; v.type = T_NATIVE; v.as.native = f; return v; }
static int isFalsy(Value v) { return v.type == T_NIL || (v.type == T_BOOL && !v.as.i); }

/* ---- The VM state ---- */

#define STACK_SLOTS 65536
#define MAX_FRAMES 4096

typedef struct {
  Closure* closure;
  const uint32_t* ip;
  Value* base; /* the callee slot; locals start at base + 1 */
} CallFrame;

typedef struct VM {
  Value stack[STACK_SLOTS];
  Value* top;
  CallFrame frames[MAX_FRAMES];
  int frameCount;
  int running;
  Value result; /* the outermost function's return value */

  Obj* objects;
  uint64_t bytesAllocated, nextCollection;
  uint32_t collections;

  String** strings; /* intern table buckets */
  uint32_t stringCount, stringBuckets;

  Table* globals;
  Proto** protos;
  uint32_t protoCount;
} VM;

static void vmError(const char* what) {
  fprintf(stderr, "scriptvm: runtime error: %s\n", what);
  exit(1);
}

/* ---- Allocation and collection ---- */

static void collectGarbage(VM* vm);

OUT_OF_LINE static void* gcAlloc(VM* vm, size_t size, uint8_t type) {
  if (vm->bytesAllocated > vm->nextCollection)
    collectGarbage(vm);
  Obj* obj = (Obj*)xmalloc(size);
  obj->type = type;
  obj->marked = 0;
  obj->next = vm->objects;
  vm->objects = obj;
  vm->bytesAllocated += size;
  return obj;
}

/* ---- Strings: interned, so equal strings are one object ---- */

static uint32_t hashBytes(const char* chars, uint32_t length) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < length; ++i)
    h = (h ^ (uint8_t)chars[i]) * 16777619u;
  return h;
}

static void growStringTable(VM* vm) {
  uint32_t buckets = vm->stringBuckets ? vm->stringBuckets * 2 : 256;
  String** table = (String**)calloc(buckets, sizeof(String*));
  if (!table)
    vmError("out of memory");
  for (uint32_t b = 0; b < vm->stringBuckets; ++b) {
    String* s = vm->strings[b];
    while (s) {
      String* next = s->nextInBucket;
      s->nextInBucket = table[s->hash & (buckets - 1)];
      table[s->hash & (buckets - 1)] = s;
      s = next;
    }
  }
  free(vm->strings);
  vm->strings = table;
  vm->stringBuckets = buckets;
}

OUT_OF_LINE static String* internString(VM* vm, const char* chars, uint32_t length) {
  uint32_t hash = hashBytes(chars, length);
  if (vm->stringBuckets) {
    for (String* s = vm->strings[hash & (vm->stringBuckets - 1)]; s; s = s->nextInBucket)
      if (s->hash == hash && s->length == length && memcmp(s->chars, chars, length) == 0)
        return s;
  }
  String* s = (String*)gcAlloc(vm, sizeof(String) + length + 1, T_STR);
  s->hash = hash;
  s->length = length;
  memcpy(s->chars, chars, length);
  s->chars[length] = '\0';
  if (vm->stringCount + 1 > vm->stringBuckets)
    growStringTable(vm);
  uint32_t b = hash & (vm->stringBuckets - 1);
  s->nextInBucket = vm->strings[b];
  vm->strings[b] = s;
  ++vm->stringCount;
  return s;
}

static String* internCString(VM* vm, const char* chars) {
  return internString(vm, chars, (uint32_t)strlen(chars));
}

/* The text of a value, as the script's `..` and tostring() see it. */
OUT_OF_LINE static uint32_t valueToText(Value v, char* buf, uint32_t size) {
  switch (v.type) {
  case T_INT: return (uint32_t)snprintf(buf, size, "%lld", (long long)v.as.i);
  case T_STR: {
    uint32_t n = v.as.s->length < size - 1 ? v.as.s->length : size - 1;
    memcpy(buf, v.as.s->chars, n);
    buf[n] = '\0';
    return n;
  }
  case T_BOOL: return (uint32_t)snprintf(buf, size, "%s", v.as.i ? "true" : "false");
  case T_NIL: return (uint32_t)snprintf(buf, size, "nil");
  default: return (uint32_t)snprintf(buf, size, "<object>");
  }
}

/* ---- Tables: an array part for keys 1..n and a hash part ---- */

static Table* newTable(VM* vm) {
  Table* t = (Table*)gcAlloc(vm, sizeof(Table), T_TABLE);
  t->array = NULL;
  t->arrayCount = t->arrayCapacity = 0;
  t->entries = NULL;
  t->entryCount = t->entryCapacity = 0;
  return t;
}

OUT_OF_LINE static uint32_t hashValue(Value key) {
  switch (key.type) {
  case T_STR: return key.as.s->hash;
  case T_INT: {
    uint64_t x = (uint64_t)key.as.i * 0x9e3779b97f4a7c15ull;
    return (uint32_t)(x >> 32);
  }
  case T_BOOL: return (uint32_t)key.as.i + 1;
  default: return (uint32_t)((uintptr_t)key.as.t >> 4);
  }
}

static int valuesEqual(Value a, Value b) {
  if (a.type != b.type)
    return 0;
  switch (a.type) {
  case T_NIL: return 1;
  case T_BOOL:
  case T_INT: return a.as.i == b.as.i;
  case T_STR: return a.as.s == b.as.s; /* interned */
  case T_NATIVE: return a.as.native == b.as.native;
  default: return a.as.t == b.as.t;
  }
}

static TableEntry* findEntry(TableEntry* entries, uint32_t capacity, Value key) {
  uint32_t i = hashValue(key) & (capacity - 1);
  for (;;) {
    TableEntry* e = &entries[i];
    if (e->key.type == T_NIL || valuesEqual(e->key, key))
      return e;
    i = (i + 1) & (capacity - 1);
  }
}

static void growEntries(VM* vm, Table* t) {
  uint32_t capacity = t->entryCapacity ? t->entryCapacity * 2 : 8;
  TableEntry* entries = (TableEntry*)calloc(capacity, sizeof(TableEntry));
  if (!entries)
    vmError("out of memory");
  for (uint32_t i = 0; i < t->entryCapacity; ++i) {
    TableEntry* old = &t->entries[i];
    if (old->key.type != T_NIL)
      *findEntry(entries, capacity, old->key) = *old;
  }
  vm->bytesAllocated += (uint64_t)(capacity - t->entryCapacity) * sizeof(TableEntry);
  free(t->entries);
  t->entries = entries;
  t->entryCapacity = capacity;
}

OUT_OF_LINE static Value tableGet(Table* t, Value key) {
  if (key.type == T_INT && key.as.i >= 1 && (uint64_t)key.as.i <= t->arrayCount)
    return t->array[key.as.i - 1];
  if (t->entryCount == 0)
    return nilValue();
  TableEntry* e = findEntry(t->entries, t->entryCapacity, key);
  return e->key.type == T_NIL ? nilValue() : e->value;
}

OUT_OF_LINE static void tableSet(VM* vm, Table* t, Value key, Value value) {
  if (key.type == T_NIL)
    vmError("table index is nil");
  if (key.type == T_INT && key.as.i >= 1 && (uint64_t)key.as.i <= t->arrayCount) {
    t->array[key.as.i - 1] = value;
    return;
  }
  TableEntry* e = t->entryCount ? findEntry(t->entries, t->entryCapacity, key) : NULL;
  if (e && e->key.type != T_NIL) {
    e->value = value;
    return;
  }
  if (key.type == T_INT && (uint64_t)key.as.i == (uint64_t)t->arrayCount + 1) {
    if (t->arrayCount == t->arrayCapacity) {
      uint32_t capacity = t->arrayCapacity ? t->arrayCapacity * 2 : 4;
      t->array = (Value*)xrealloc(t->array, capacity * sizeof(Value));
      vm->bytesAllocated += (uint64_t)(capacity - t->arrayCapacity) * sizeof(Value);
      t->arrayCapacity = capacity;
    }
    t->array[t->arrayCount++] = value;
    return;
  }
  if ((t->entryCount + 1) * 4 > t->entryCapacity * 3) {
    growEntries(vm, t);
    e = findEntry(t->entries, t->entryCapacity, key);
  }
  e->key = key;
  e->value = value;
  ++t->entryCount;
}

/* ---- The collector: mark from the stack, globals, constants; sweep ---- */

static void markValue(Value v);

static void markTable(Table* t) {
  for (uint32_t i = 0; i < t->arrayCount; ++i)
    markValue(t->array[i]);
  for (uint32_t i = 0; i < t->entryCapacity; ++i) {
    if (t->entries[i].key.type != T_NIL) {
      markValue(t->entries[i].key);
      markValue(t->entries[i].value);
    }
  }
}

static void markValue(Value v) {
  Obj* obj;
  switch (v.type) {
  case T_STR: obj = &v.as.s->obj; break;
  case T_TABLE: obj = &v.as.t->obj; break;
  case T_CLOSURE: obj = &v.as.f->obj; break;
  default: return;
  }
  if (obj->marked)
    return;
  obj->marked = 1;
  if (v.type == T_TABLE) {
    markTable(v.as.t);
  } else if (v.type == T_CLOSURE) {
    for (int i = 0; i < v.as.f->numUpvalues; ++i)
      markValue(v.as.f->upvalues[i]);
  }
}

static size_t objectSize(Obj* obj) {
  switch (obj->type) {
  case T_STR: return sizeof(String) + ((String*)obj)->length + 1;
  case T_TABLE: {
    Table* t = (Table*)obj;
    return sizeof(Table) + t->arrayCapacity * sizeof(Value) + t->entryCapacity * sizeof(TableEntry);
  }
  default: return sizeof(Closure) + ((Closure*)obj)->numUpvalues * sizeof(Value);
  }
}

static void freeObject(Obj* obj) {
  if (obj->type == T_TABLE) {
    free(((Table*)obj)->array);
    free(((Table*)obj)->entries);
  }
  free(obj);
}

static void collectGarbage(VM* vm) {
  for (Value* v = vm->stack; v < vm->top; ++v)
    markValue(*v);
  for (int f = 0; f < vm->frameCount; ++f)
    markValue(closureValue(vm->frames[f].closure));
  markValue(tableValue(vm->globals));
  markValue(vm->result);
  for (uint32_t p = 0; p < vm->protoCount; ++p)
    for (uint32_t k = 0; k < vm->protos[p]->constantCount; ++k)
      markValue(vm->protos[p]->constants[k]);

  /* Dead strings leave the intern table before they are freed. */
  for (uint32_t b = 0; b < vm->stringBuckets; ++b) {
    String** link = &vm->strings[b];
    while (*link) {
      if (!(*link)->obj.marked) {
        *link = (*link)->nextInBucket;
        --vm->stringCount;
      } else {
        link = &(*link)->nextInBucket;
      }
    }
  }
  uint64_t live = 0;
  Obj** link = &vm->objects;
  while (*link) {
    Obj* obj = *link;
    if (obj->marked) {
      obj->marked = 0;
      live += objectSize(obj);
      link = &obj->next;
    } else {
      *link = obj->next;
      freeObject(obj);
    }
  }
  vm->bytesAllocated = live;
  vm->nextCollection = live * 2 > (256u << 10) ? live * 2 : (256u << 10);
  ++vm->collections;
}

/* ---- Bytecode ---- */

/* An instruction is one word: the opcode in the low 8 bits, a signed 24-bit
 * argument above it. */
typedef enum {
  OP_PUSHK,      /* k: push constants[k] */
  OP_PUSHINT,    /* n: push n */
  OP_PUSHNIL,
  OP_PUSHTRUE,
  OP_POP,
  OP_DUP,
  OP_GETLOCAL,   /* i */
  OP_SETLOCAL,   /* i: pop into local i */
  OP_GETUPVAL,   /* i */
  OP_SETUPVAL,   /* i: pop into upvalue i */
  OP_GETGLOBAL,  /* k: name in constants[k] */
  OP_SETGLOBAL,  /* k */
  OP_NEWTABLE,
  OP_GETINDEX,   /* t key -> value */
  OP_SETINDEX,   /* t key value -> */
  OP_GETFIELD,   /* k: t -> t[constants[k]] */
  OP_SETFIELD,   /* k: t value -> */
  OP_ADD,
  OP_SUB,
  OP_MUL,
  OP_MOD,
  OP_LT,
  OP_LE,
  OP_EQ,
  OP_NOT,
  OP_LEN,
  OP_CONCAT,
  OP_JMP,        /* offset from the next instruction */
  OP_JMPF,       /* offset: pop, jump if falsy */
  OP_OR,         /* offset: if top is truthy jump (keep it), else pop */
  OP_CALL,       /* nargs: callee arg1..argN -> result */
  OP_RETURN,     /* value -> */
  OP_CLOSURE,    /* p: pop protos[p]->numUpvalues values into a new closure */
  OP_COUNT
} OpCode;

typedef void (*OpHandler)(VM* vm, int32_t arg);

static inline void push(VM* vm, Value v) {
  if (vm->top == vm->stack + STACK_SLOTS)
    vmError("stack overflow");
  *vm->top++ = v;
}
static inline Value pop(VM* vm) { return *--vm->top; }
static inline Value peek(VM* vm, int distance) { return vm->top[-1 - distance]; }
static inline CallFrame* currentFrame(VM* vm) { return &vm->frames[vm->frameCount - 1]; }

static int64_t expectInt(Value v, const char* op) {
  if (v.type != T_INT) {
    char message[64];
    snprintf(message, sizeof message, "'%s' on a non-integer", op);
    vmError(message);
  }
  return v.as.i;
}

static void opPushK(VM* vm, int32_t k) { push(vm, currentFrame(vm)->closure->proto->constants[k]); }
static void opPushInt(VM* vm, int32_t n) { push(vm, intValue(n)); }
static void opPushNil(VM* vm, int32_t unused) { (void)unused; push(vm, nilValue()); }
static void opPushTrue(VM* vm, int32_t unused) { (void)unused; push(vm, boolValue(1)); }
static void opPop(VM* vm, int32_t unused) { (void)unused; --vm->top; }
static void opDup(VM* vm, int32_t unused) { (void)unused; push(vm, peek(vm, 0)); }
static void opGetLocal(VM* vm, int32_t i) { push(vm, currentFrame(vm)->base[1 + i]); }
static void opSetLocal(VM* vm, int32_t i) { currentFrame(vm)->base[1 + i] = pop(vm); }
static void opGetUpval(VM* vm, int32_t i) { push(vm, currentFrame(vm)->closure->upvalues[i]); }
static void opSetUpval(VM* vm, int32_t i) { currentFrame(vm)->closure->upvalues[i] = pop(vm); }

static void opGetGlobal(VM* vm, int32_t k) {
  Value name = currentFrame(vm)->closure->proto->constants[k];
  Value v = tableGet(vm->globals, name);
  if (v.type == T_NIL) {
    char message[96];
    snprintf(message, sizeof message, "undefined global '%s'", name.as.s->chars);
    vmError(message);
  }
  push(vm, v);
}

static void opSetGlobal(VM* vm, int32_t k) {
  tableSet(vm, vm->globals, currentFrame(vm)->closure->proto->constants[k], peek(vm, 0));
  --vm->top;
}

static void opNewTable(VM* vm, int32_t unused) {
  (void)unused;
  Table* t = newTable(vm);
  push(vm, tableValue(t));
}

static Table* expectTable(Value v) {
  if (v.type != T_TABLE)
    vmError("indexing a non-table");
  return v.as.t;
}

static void opGetIndex(VM* vm, int32_t unused) {
  (void)unused;
  Value key = pop(vm);
  Value t = pop(vm);
  push(vm, tableGet(expectTable(t), key));
}

static void opSetIndex(VM* vm, int32_t unused) {
  (void)unused;
  /* Operands stay on the stack (reachable) until the store is done. */
  tableSet(vm, expectTable(peek(vm, 2)), peek(vm, 1), peek(vm, 0));
  vm->top -= 3;
}

static void opGetField(VM* vm, int32_t k) {
  Value t = pop(vm);
  push(vm, tableGet(expectTable(t), currentFrame(vm)->closure->proto->constants[k]));
}

static void opSetField(VM* vm, int32_t k) {
  tableSet(vm, expectTable(peek(vm, 1)), currentFrame(vm)->closure->proto->constants[k], peek(vm, 0));
  vm->top -= 2;
}

static void opAdd(VM* vm, int32_t unused) {
  (void)unused;
  Value b = pop(vm), a = pop(vm);
  push(vm, intValue(expectInt(a, "+") + expectInt(b, "+")));
}
static void opSub(VM* vm, int32_t unused) {
  (void)unused;
  Value b = pop(vm), a = pop(vm);
  push(vm, intValue(expectInt(a, "-") - expectInt(b, "-")));
}
static void opMul(VM* vm, int32_t unused) {
  (void)unused;
  Value b = pop(vm), a = pop(vm);
  push(vm, intValue(expectInt(a, "*") * expectInt(b, "*")));
}
static void opMod(VM* vm, int32_t unused) {
  (void)unused;
  Value b = pop(vm), a = pop(vm);
  int64_t d = expectInt(b, "%");
  if (d == 0)
    vmError("modulo by zero");
  int64_t r = expectInt(a, "%") % d;
  push(vm, intValue(r < 0 ? r + (d < 0 ? -d : d) : r));
}

static int compareValues(Value a, Value b) {
  if (a.type == T_INT && b.type == T_INT)
    return a.as.i < b.as.i ? -1 : a.as.i > b.as.i;
  if (a.type == T_STR && b.type == T_STR) {
    int c = strcmp(a.as.s->chars, b.as.s->chars);
    return c < 0 ? -1 : c > 0;
  }
  vmError("comparing values of different types");
  return 0;
}
static void opLt(VM* vm, int32_t unused) {
  (void)unused;
  Value b = pop(vm), a = pop(vm);
  push(vm, boolValue(compareValues(a, b) < 0));
}
static void opLe(VM* vm, int32_t unused) {
  (void)unused;
  Value b = pop(vm), a = pop(vm);
  push(vm, boolValue(compareValues(a, b) <= 0));
}
static void opEq(VM* vm, int32_t unused) {
  (void)unused;
  Value b = pop(vm), a = pop(vm);
  push(vm, boolValue(valuesEqual(a, b)));
}
static void opNot(VM* vm, int32_t unused) {
  (void)unused;
  push(vm, boolValue(isFalsy(pop(vm))));
}
static void opLen(VM* vm, int32_t unused) {
  (void)unused;
  Value v = pop(vm);
  if (v.type == T_STR)
    push(vm, intValue(v.as.s->length));
  else
    push(vm, intValue(expectTable(v)->arrayCount));
}

OUT_OF_LINE static String* concatValues(VM* vm, Value a, Value b) {
  char left[256], right[256];
  uint32_t la = valueToText(a, left, sizeof left);
  uint32_t lb = valueToText(b, right, sizeof right);
  char* joined = (char*)xmalloc(la + lb + 1);
  memcpy(joined, left, la);
  memcpy(joined + la, right, lb);
  String* s = internString(vm, joined, la + lb);
  free(joined);
  return s;
}

static void opConcat(VM* vm, int32_t unused) {
  (void)unused;
  String* s = concatValues(vm, peek(vm, 1), peek(vm, 0));
  vm->top -= 2;
  push(vm, stringValue(s));
}

static void opJmp(VM* vm, int32_t offset) { currentFrame(vm)->ip += offset; }
static void opJmpF(VM* vm, int32_t offset) {
  if (isFalsy(pop(vm)))
    currentFrame(vm)->ip += offset;
}
static void opOr(VM* vm, int32_t offset) {
  if (!isFalsy(peek(vm, 0)))
    currentFrame(vm)->ip += offset;
  else
    --vm->top;
}

static void opCall(VM* vm, int32_t nargs) {
  Value* base = vm->top - nargs - 1;
  Value callee = *base;
  if (callee.type == T_NATIVE) {
    Value result = nilValue();
    if (!callee.as.native(vm, base + 1, nargs, &result))
      vmError("native function failed");
    vm->top = base;
    push(vm, result);
    return;
  }
  if (callee.type != T_CLOSURE)
    vmError("calling a non-function");
  Proto* proto = callee.as.f->proto;
  if (nargs != proto->numParams)
    vmError("wrong number of arguments");
  if (vm->frameCount == MAX_FRAMES)
    vmError("call stack overflow");
  for (int i = proto->numParams; i < proto->numLocals; ++i)
    push(vm, nilValue());
  CallFrame* frame = &vm->frames[vm->frameCount++];
  frame->closure = callee.as.f;
  frame->ip = proto->code;
  frame->base = base;
}

static void opReturn(VM* vm, int32_t unused) {
  (void)unused;
  Value result = pop(vm);
  CallFrame* frame = currentFrame(vm);
  vm->top = frame->base;
  if (--vm->frameCount == 0) {
    vm->result = result;
    vm->running = 0;
    return;
  }
  push(vm, result);
}

static void opClosure(VM* vm, int32_t p) {
  Proto* proto = vm->protos[p];
  Closure* f = (Closure*)gcAlloc(vm, sizeof(Closure) + proto->numUpvalues * sizeof(Value), T_CLOSURE);
  f->proto = proto;
  f->numUpvalues = proto->numUpvalues;
  for (int i = 0; i < proto->numUpvalues; ++i)
    f->upvalues[i] = peek(vm, proto->numUpvalues - 1 - i);
  vm->top -= proto->numUpvalues;
  push(vm, closureValue(f));
}

static const OpHandler kHandlers[OP_COUNT] = {
    [OP_PUSHK] = opPushK,         [OP_PUSHINT] = opPushInt,     [OP_PUSHNIL] = opPushNil,
    [OP_PUSHTRUE] = opPushTrue,   [OP_POP] = opPop,             [OP_DUP] = opDup,
    [OP_GETLOCAL] = opGetLocal,   [OP_SETLOCAL] = opSetLocal,   [OP_GETUPVAL] = opGetUpval,
    [OP_SETUPVAL] = opSetUpval,   [OP_GETGLOBAL] = opGetGlobal, [OP_SETGLOBAL] = opSetGlobal,
    [OP_NEWTABLE] = opNewTable,   [OP_GETINDEX] = opGetIndex,   [OP_SETINDEX] = opSetIndex,
    [OP_GETFIELD] = opGetField,   [OP_SETFIELD] = opSetField,   [OP_ADD] = opAdd,
    [OP_SUB] = opSub,             [OP_MUL] = opMul,             [OP_MOD] = opMod,
    [OP_LT] = opLt,               [OP_LE] = opLe,               [OP_EQ] = opEq,
    [OP_NOT] = opNot,             [OP_LEN] = opLen,             [OP_CONCAT] = opConcat,
    [OP_JMP] = opJmp,             [OP_JMPF] = opJmpF,           [OP_OR] = opOr,
    [OP_CALL] = opCall,           [OP_RETURN] = opReturn,       [OP_CLOSURE] = opClosure,
};

/* Calls `f` with `nargs` arguments already pushed above it and runs until it
 * returns; the result is left in vm->result. */
static Value runClosure(VM* vm, int nargs) {
  int outer = vm->frameCount;
  opCall(vm, nargs);
  if (vm->frameCount == outer)
    return pop(vm); /* a native function: already done */
  vm->running = 1;
  while (vm->running) {
    CallFrame* frame = currentFrame(vm);
    uint32_t instruction = *frame->ip++;
    kHandlers[instruction & 0xff](vm, (int32_t)instruction >> 8);
  }
  return vm->result;
}

/* ---- Native library functions ---- */

static int nativeToString(VM* vm, Value* args, int nargs, Value* result) {
  if (nargs != 1)
    return 0;
  char text[256];
  uint32_t n = valueToText(args[0], text, sizeof text);
  *result = stringValue(internString(vm, text, n));
  return 1;
}

static int nativeStrHash(VM* vm, Value* args, int nargs, Value* result) {
  (void)vm;
  if (nargs != 1 || args[0].type != T_STR)
    return 0;
  *result = intValue(args[0].as.s->hash & 0xffff);
  return 1;
}

static int nativeAppend(VM* vm, Value* args, int nargs, Value* result) {
  if (nargs != 2 || args[0].type != T_TABLE)
    return 0;
  Table* t = args[0].as.t;
  tableSet(vm, t, intValue((int64_t)t->arrayCount + 1), args[1]);
  *result = nilValue();
  return 1;
}

/* ---- The assembler ---- */

#define MAX_LABELS 32

typedef struct {
  VM* vm;
  Proto* proto;
  int32_t labelAt[MAX_LABELS];          /* pc, or -1 until placed */
  uint32_t fixups[MAX_LABELS][8];       /* jumps waiting for the label */
  int fixupCount[MAX_LABELS];
  int labelCount;
} Assembler;

static void beginProto(Assembler* a, VM* vm, const char* name, int numParams, int numLocals,
                       int numUpvalues) {
  memset(a, 0, sizeof *a);
  a->vm = vm;
  Proto* p = (Proto*)xmalloc(sizeof(Proto));
  memset(p, 0, sizeof *p);
  p->name = name;
  p->numParams = numParams;
  p->numLocals = numLocals;
  p->numUpvalues = numUpvalues;
  a->proto = p;
}

static void emit(Assembler* a, OpCode op, int32_t arg) {
  Proto* p = a->proto;
  if (p->codeCount == p->codeCapacity) {
    p->codeCapacity = p->codeCapacity ? p->codeCapacity * 2 : 32;
    p->code = (uint32_t*)xrealloc(p->code, p->codeCapacity * sizeof(uint32_t));
  }
  p->code[p->codeCount++] = (uint32_t)op | ((uint32_t)arg << 8);
}

static int32_t constant(Assembler* a, Value v) {
  Proto* p = a->proto;
  for (uint32_t i = 0; i < p->constantCount; ++i)
    if (valuesEqual(p->constants[i], v))
      return (int32_t)i;
  if (p->constantCount == p->constantCapacity) {
    p->constantCapacity = p->constantCapacity ? p->constantCapacity * 2 : 8;
    p->constants = (Value*)xrealloc(p->constants, p->constantCapacity * sizeof(Value));
  }
  p->constants[p->constantCount] = v;
  return (int32_t)p->constantCount++;
}

static int32_t name(Assembler* a, const char* text) {
  return constant(a, stringValue(internCString(a->vm, text)));
}

static int newLabel(Assembler* a) {
  a->labelAt[a->labelCount] = -1;
  return a->labelCount++;
}

static void emitJump(Assembler* a, OpCode op, int label) {
  if (a->labelAt[label] >= 0) {
    emit(a, op, a->labelAt[label] - (int32_t)(a->proto->codeCount + 1));
    return;
  }
  a->fixups[label][a->fixupCount[label]++] = a->proto->codeCount;
  emit(a, op, 0);
}

static void placeLabel(Assembler* a, int label) {
  int32_t here = (int32_t)a->proto->codeCount;
  a->labelAt[label] = here;
  for (int i = 0; i < a->fixupCount[label]; ++i) {
    uint32_t at = a->fixups[label][i];
    a->proto->code[at] = (a->proto->code[at] & 0xff) | ((uint32_t)(here - (int32_t)(at + 1)) << 8);
  }
}

static int32_t endProto(Assembler* a) {
  VM* vm = a->vm;
  vm->protos = (Proto**)xrealloc(vm->protos, (vm->protoCount + 1) * sizeof(Proto*));
  vm->protos[vm->protoCount] = a->proto;
  return (int32_t)vm->protoCount++;
}

/* Defines a global function from a proto without upvalues. */
static void defineGlobalFunction(VM* vm, const char* fname, int32_t protoIndex) {
  opClosure(vm, protoIndex);
  tableSet(vm, vm->globals, stringValue(internCString(vm, fname)), peek(vm, 0));
  --vm->top;
}

/* ---- The script ----
 *
 *   function fib(n) if n < 2 then return n end
 *                   return fib(n - 1) + fib(n - 2) end
 *
 *   function countWords(n)            -- string building and a string-keyed table
 *     local counts, i, total = {}, 0, 0
 *     while i < n do
 *       local key = "w" .. (i * 7919 % 1009)
 *       counts[key] = (counts[key] or 0) + 1
 *       i = i + 1
 *     end
 *     i = 0
 *     while i < 1009 do total = total + counts["w" .. i] * (i + 1) + strhash("w" .. i); i = i + 1 end
 *     return total
 *   end
 *
 *   function makeCounter(step)        -- a closure with two upvalues
 *     local count = 0
 *     return function() count = count + step; return count end
 *   end
 *
 *   function fillAndSum(n)            -- array inserts, records with fields
 *     local t, i, sum, p = {}, 1, 0, {}
 *     p.x = 0  p.y = 1
 *     while i <= n do append(t, i * i % 1000); i = i + 1 end
 *     i = 1
 *     while i <= #t do p.x = p.x + t[i] * p.y; p.y = p.y % 7 + 1; i = i + 1 end
 *     return p.x + #t
 *   end
 *
 *   function buildString(n)           -- concatenation of growing strings
 *     local s, i, acc = "", 0, 0
 *     while i < n do
 *       s = s .. tostring(i % 10)
 *       if #s > 40 then acc = acc + strhash(s); s = "" end
 *       i = i + 1
 *     end
 *     return acc
 *   end
 *
 * makeCounter's closure keeps `step` and `count` as its upvalues (captured
 * by value; SETUPVAL updates the closure's own copy). */

static int32_t assembleFib(VM* vm) {
  Assembler a;
  beginProto(&a, vm, "fib", 1, 1, 0);
  int recurse = newLabel(&a);
  emit(&a, OP_GETLOCAL, 0);
  emit(&a, OP_PUSHINT, 2);
  emit(&a, OP_LT, 0);
  emitJump(&a, OP_JMPF, recurse);
  emit(&a, OP_GETLOCAL, 0);
  emit(&a, OP_RETURN, 0);
  placeLabel(&a, recurse);
  emit(&a, OP_GETGLOBAL, name(&a, "fib"));
  emit(&a, OP_GETLOCAL, 0);
  emit(&a, OP_PUSHINT, 1);
  emit(&a, OP_SUB, 0);
  emit(&a, OP_CALL, 1);
  emit(&a, OP_GETGLOBAL, name(&a, "fib"));
  emit(&a, OP_GETLOCAL, 0);
  emit(&a, OP_PUSHINT, 2);
  emit(&a, OP_SUB, 0);
  emit(&a, OP_CALL, 1);
  emit(&a, OP_ADD, 0);
  emit(&a, OP_RETURN, 0);
  return endProto(&a);
}


/* local = local + 1 */
static void emitIncrement(Assembler* a, int local) {
  emit(a, OP_GETLOCAL, local);
  emit(a, OP_PUSHINT, 1);
  emit(a, OP_ADD, 0);
  emit(a, OP_SETLOCAL, local);
}

/* Pushes (table[key] or 0) for locals `table` and `key`. */
static void emitGetOrZero(Assembler* a, int table, int key) {
  int have = newLabel(a);
  emit(a, OP_GETLOCAL, table);
  emit(a, OP_GETLOCAL, key);
  emit(a, OP_GETINDEX, 0);
  emitJump(a, OP_OR, have);
  emit(a, OP_PUSHINT, 0);
  placeLabel(a, have);
}

/* Pushes "w" .. (expression already on the stack is consumed). */
static void emitWordKey(Assembler* a) {
  emit(a, OP_CONCAT, 0);
}

static int32_t assembleCountWords(VM* vm) {
  enum { N, COUNTS, I, TOTAL, KEY };
  Assembler a;
  beginProto(&a, vm, "countWords", 1, 5, 0);
  int loop1 = newLabel(&a), done1 = newLabel(&a), loop2 = newLabel(&a), done2 = newLabel(&a);
  emit(&a, OP_NEWTABLE, 0);
  emit(&a, OP_SETLOCAL, COUNTS);
  emit(&a, OP_PUSHINT, 0);
  emit(&a, OP_SETLOCAL, I);
  emit(&a, OP_PUSHINT, 0);
  emit(&a, OP_SETLOCAL, TOTAL);
  placeLabel(&a, loop1); /* while i < n */
  emit(&a, OP_GETLOCAL, I);
  emit(&a, OP_GETLOCAL, N);
  emit(&a, OP_LT, 0);
  emitJump(&a, OP_JMPF, done1);
  emit(&a, OP_PUSHK, name(&a, "w")); /* key = "w" .. (i * 7919 % 1009) */
  emit(&a, OP_GETLOCAL, I);
  emit(&a, OP_PUSHINT, 7919);
  emit(&a, OP_MUL, 0);
  emit(&a, OP_PUSHINT, 1009);
  emit(&a, OP_MOD, 0);
  emitWordKey(&a);
  emit(&a, OP_SETLOCAL, KEY);
  emit(&a, OP_GETLOCAL, COUNTS); /* counts[key] = (counts[key] or 0) + 1 */
  emit(&a, OP_GETLOCAL, KEY);
  emitGetOrZero(&a, COUNTS, KEY);
  emit(&a, OP_PUSHINT, 1);
  emit(&a, OP_ADD, 0);
  emit(&a, OP_SETINDEX, 0);
  emitIncrement(&a, I);
  emitJump(&a, OP_JMP, loop1);
  placeLabel(&a, done1);
  emit(&a, OP_PUSHINT, 0);
  emit(&a, OP_SETLOCAL, I);
  placeLabel(&a, loop2); /* while i < 1009 */
  emit(&a, OP_GETLOCAL, I);
  emit(&a, OP_PUSHINT, 1009);
  emit(&a, OP_LT, 0);
  emitJump(&a, OP_JMPF, done2);
  emit(&a, OP_PUSHK, name(&a, "w"));
  emit(&a, OP_GETLOCAL, I);
  emitWordKey(&a);
  emit(&a, OP_SETLOCAL, KEY);
  /* total = total + (counts[key] or 0) * (i + 1) + strhash(key) */
  emit(&a, OP_GETLOCAL, TOTAL);
  emitGetOrZero(&a, COUNTS, KEY);
  emit(&a, OP_GETLOCAL, I);
  emit(&a, OP_PUSHINT, 1);
  emit(&a, OP_ADD, 0);
  emit(&a, OP_MUL, 0);
  emit(&a, OP_ADD, 0);
  emit(&a, OP_GETGLOBAL, name(&a, "strhash"));
  emit(&a, OP_GETLOCAL, KEY);
  emit(&a, OP_CALL, 1);
  emit(&a, OP_ADD, 0);
  emit(&a, OP_SETLOCAL, TOTAL);
  emitIncrement(&a, I);
  emitJump(&a, OP_JMP, loop2);
  placeLabel(&a, done2);
  emit(&a, OP_GETLOCAL, TOTAL);
  emit(&a, OP_RETURN, 0);
  return endProto(&a);
}

/* The closure makeCounter returns: upvalue 0 is step, 1 is count. */
static int32_t assembleCounterBody(VM* vm) {
  Assembler a;
  beginProto(&a, vm, "counter", 0, 0, 2);
  emit(&a, OP_GETUPVAL, 1);
  emit(&a, OP_GETUPVAL, 0);
  emit(&a, OP_ADD, 0);
  emit(&a, OP_SETUPVAL, 1);
  emit(&a, OP_GETUPVAL, 1);
  emit(&a, OP_RETURN, 0);
  return endProto(&a);
}

static int32_t assembleMakeCounter(VM* vm, int32_t counterBody) {
  Assembler a;
  beginProto(&a, vm, "makeCounter", 1, 1, 0);
  emit(&a, OP_GETLOCAL, 0); /* step */
  emit(&a, OP_PUSHINT, 0);  /* count */
  emit(&a, OP_CLOSURE, counterBody);
  emit(&a, OP_RETURN, 0);
  return endProto(&a);
}

/*   function useCounters(n)
 *     local counters, i, sum = {}, 1, 0
 *     while i <= 8 do append(counters, makeCounter(i)); i = i + 1 end
 *     i = 0
 *     while i < n do sum = sum + counters[i % 8 + 1](); i = i + 1 end
 *     return sum
 *   end */
static int32_t assembleUseCounters(VM* vm) {
  enum { N, COUNTERS, I, SUM };
  Assembler a;
  beginProto(&a, vm, "useCounters", 1, 4, 0);
  int make = newLabel(&a), made = newLabel(&a), loop = newLabel(&a), done = newLabel(&a);
  emit(&a, OP_NEWTABLE, 0);
  emit(&a, OP_SETLOCAL, COUNTERS);
  emit(&a, OP_PUSHINT, 1);
  emit(&a, OP_SETLOCAL, I);
  emit(&a, OP_PUSHINT, 0);
  emit(&a, OP_SETLOCAL, SUM);
  placeLabel(&a, make);
  emit(&a, OP_GETLOCAL, I);
  emit(&a, OP_PUSHINT, 8);
  emit(&a, OP_LE, 0);
  emitJump(&a, OP_JMPF, made);
  emit(&a, OP_GETGLOBAL, name(&a, "append"));
  emit(&a, OP_GETLOCAL, COUNTERS);
  emit(&a, OP_GETGLOBAL, name(&a, "makeCounter"));
  emit(&a, OP_GETLOCAL, I);
  emit(&a, OP_CALL, 1);
  emit(&a, OP_CALL, 2);
  emit(&a, OP_POP, 0);
  emitIncrement(&a, I);
  emitJump(&a, OP_JMP, make);
  placeLabel(&a, made);
  emit(&a, OP_PUSHINT, 0);
  emit(&a, OP_SETLOCAL, I);
  placeLabel(&a, loop);
  emit(&a, OP_GETLOCAL, I);
  emit(&a, OP_GETLOCAL, N);
  emit(&a, OP_LT, 0);
  emitJump(&a, OP_JMPF, done);
  emit(&a, OP_GETLOCAL, SUM);
  emit(&a, OP_GETLOCAL, COUNTERS);
  emit(&a, OP_GETLOCAL, I);
  emit(&a, OP_PUSHINT, 8);
  emit(&a, OP_MOD, 0);
  emit(&a, OP_PUSHINT, 1);
  emit(&a, OP_ADD, 0);
  emit(&a, OP_GETINDEX, 0);
  emit(&a, OP_CALL, 0);
  emit(&a, OP_ADD, 0);
  emit(&a, OP_SETLOCAL, SUM);
  emitIncrement(&a, I);
  emitJump(&a, OP_JMP, loop);
  placeLabel(&a, done);
  emit(&a, OP_GETLOCAL, SUM);
  emit(&a, OP_RETURN, 0);
  return endProto(&a);
}

static int32_t assembleFillAndSum(VM* vm) {
  enum { N, T, I, P };
  Assembler a;
  beginProto(&a, vm, "fillAndSum", 1, 4, 0);
  int fill = newLabel(&a), filled = newLabel(&a), sum = newLabel(&a), done = newLabel(&a);
  int32_t x = name(&a, "x"), y = name(&a, "y");
  emit(&a, OP_NEWTABLE, 0);
  emit(&a, OP_SETLOCAL, T);
  emit(&a, OP_NEWTABLE, 0);
  emit(&a, OP_SETLOCAL, P);
  emit(&a, OP_GETLOCAL, P); /* p.x = 0  p.y = 1 */
  emit(&a, OP_PUSHINT, 0);
  emit(&a, OP_SETFIELD, x);
  emit(&a, OP_GETLOCAL, P);
  emit(&a, OP_PUSHINT, 1);
  emit(&a, OP_SETFIELD, y);
  emit(&a, OP_PUSHINT, 1);
  emit(&a, OP_SETLOCAL, I);
  placeLabel(&a, fill); /* while i <= n do append(t, i * i % 1000) */
  emit(&a, OP_GETLOCAL, I);
  emit(&a, OP_GETLOCAL, N);
  emit(&a, OP_LE, 0);
  emitJump(&a, OP_JMPF, filled);
  emit(&a, OP_GETGLOBAL, name(&a, "append"));
  emit(&a, OP_GETLOCAL, T);
  emit(&a, OP_GETLOCAL, I);
  emit(&a, OP_GETLOCAL, I);
  emit(&a, OP_MUL, 0);
  emit(&a, OP_PUSHINT, 1000);
  emit(&a, OP_MOD, 0);
  emit(&a, OP_CALL, 2);
  emit(&a, OP_POP, 0);
  emitIncrement(&a, I);
  emitJump(&a, OP_JMP, fill);
  placeLabel(&a, filled);
  emit(&a, OP_PUSHINT, 1);
  emit(&a, OP_SETLOCAL, I);
  placeLabel(&a, sum); /* while i <= #t */
  emit(&a, OP_GETLOCAL, I);
  emit(&a, OP_GETLOCAL, T);
  emit(&a, OP_LEN, 0);
  emit(&a, OP_LE, 0);
  emitJump(&a, OP_JMPF, done);
  emit(&a, OP_GETLOCAL, P); /* p.x = p.x + t[i] * p.y */
  emit(&a, OP_GETLOCAL, P);
  emit(&a, OP_GETFIELD, x);
  emit(&a, OP_GETLOCAL, T);
  emit(&a, OP_GETLOCAL, I);
  emit(&a, OP_GETINDEX, 0);
  emit(&a, OP_GETLOCAL, P);
  emit(&a, OP_GETFIELD, y);
  emit(&a, OP_MUL, 0);
  emit(&a, OP_ADD, 0);
  emit(&a, OP_SETFIELD, x);
  emit(&a, OP_GETLOCAL, P); /* p.y = p.y % 7 + 1 */
  emit(&a, OP_GETLOCAL, P);
  emit(&a, OP_GETFIELD, y);
  emit(&a, OP_PUSHINT, 7);
  emit(&a, OP_MOD, 0);
  emit(&a, OP_PUSHINT, 1);
  emit(&a, OP_ADD, 0);
  emit(&a, OP_SETFIELD, y);
  emitIncrement(&a, I);
  emitJump(&a, OP_JMP, sum);
  placeLabel(&a, done);
  emit(&a, OP_GETLOCAL, P);
  emit(&a, OP_GETFIELD, x);
  emit(&a, OP_GETLOCAL, T);
  emit(&a, OP_LEN, 0);
  emit(&a, OP_ADD, 0);
  emit(&a, OP_RETURN, 0);
  return endProto(&a);
}

static int32_t assembleBuildString(VM* vm) {
  enum { N, S, I, ACC };
  Assembler a;
  beginProto(&a, vm, "buildString", 1, 4, 0);
  int loop = newLabel(&a), done = newLabel(&a), keep = newLabel(&a);
  int32_t empty = name(&a, "");
  emit(&a, OP_PUSHK, empty);
  emit(&a, OP_SETLOCAL, S);
  emit(&a, OP_PUSHINT, 0);
  emit(&a, OP_SETLOCAL, I);
  emit(&a, OP_PUSHINT, 0);
  emit(&a, OP_SETLOCAL, ACC);
  placeLabel(&a, loop);
  emit(&a, OP_GETLOCAL, I);
  emit(&a, OP_GETLOCAL, N);
  emit(&a, OP_LT, 0);
  emitJump(&a, OP_JMPF, done);
  emit(&a, OP_GETLOCAL, S); /* s = s .. tostring(i % 10) */
  emit(&a, OP_GETGLOBAL, name(&a, "tostring"));
  emit(&a, OP_GETLOCAL, I);
  emit(&a, OP_PUSHINT, 10);
  emit(&a, OP_MOD, 0);
  emit(&a, OP_CALL, 1);
  emit(&a, OP_CONCAT, 0);
  emit(&a, OP_SETLOCAL, S);
  emit(&a, OP_PUSHINT, 40); /* if #s > 40 then acc = acc + strhash(s); s = "" end */
  emit(&a, OP_GETLOCAL, S);
  emit(&a, OP_LEN, 0);
  emit(&a, OP_LT, 0);
  emitJump(&a, OP_JMPF, keep);
  emit(&a, OP_GETLOCAL, ACC);
  emit(&a, OP_GETGLOBAL, name(&a, "strhash"));
  emit(&a, OP_GETLOCAL, S);
  emit(&a, OP_CALL, 1);
  emit(&a, OP_ADD, 0);
  emit(&a, OP_SETLOCAL, ACC);
  emit(&a, OP_PUSHK, empty);
  emit(&a, OP_SETLOCAL, S);
  placeLabel(&a, keep);
  emitIncrement(&a, I);
  emitJump(&a, OP_JMP, loop);
  placeLabel(&a, done);
  emit(&a, OP_GETLOCAL, ACC);
  emit(&a, OP_GETLOCAL, S);
  emit(&a, OP_LEN, 0);
  emit(&a, OP_ADD, 0);
  emit(&a, OP_RETURN, 0);
  return endProto(&a);
}

/* Calls global function `fname` with one integer argument. */
static int64_t callGlobal(VM* vm, const char* fname, int64_t argument) {
  push(vm, tableGet(vm->globals, stringValue(internCString(vm, fname))));
  push(vm, intValue(argument));
  Value result = runClosure(vm, 1);
  if (result.type != T_INT)
    vmError("script returned a non-integer");
  return result.as.i;
}

static void defineNative(VM* vm, const char* fname, NativeFn fn) {
  tableSet(vm, vm->globals, stringValue(internCString(vm, fname)), nativeValue(fn));
}

int main(int argc, char** argv) {
  /* One unit of size is one round of the whole script. */
  uint32_t size = programSize(argc, argv, 12, 1);
  VM* vm = (VM*)calloc(1, sizeof(VM));
  if (!vm)
    vmError("out of memory");
  vm->top = vm->stack;
  vm->result = nilValue();
  vm->nextCollection = 256u << 10;
  vm->globals = newTable(vm);

  defineNative(vm, "tostring", nativeToString);
  defineNative(vm, "strhash", nativeStrHash);
  defineNative(vm, "append", nativeAppend);
  defineGlobalFunction(vm, "fib", assembleFib(vm));
  defineGlobalFunction(vm, "countWords", assembleCountWords(vm));
  defineGlobalFunction(vm, "makeCounter", assembleMakeCounter(vm, assembleCounterBody(vm)));
  defineGlobalFunction(vm, "useCounters", assembleUseCounters(vm));
  defineGlobalFunction(vm, "fillAndSum", assembleFillAndSum(vm));
  defineGlobalFunction(vm, "buildString", assembleBuildString(vm));

  uint64_t checksum = CHECKSUM_INIT;
  for (uint32_t round = 0; round < size; ++round) {
    checksum = checksumMix(checksum, (uint64_t)callGlobal(vm, "fib", 20 + round % 3));
    checksum = checksumMix(checksum, (uint64_t)callGlobal(vm, "countWords", 20000 + round));
    checksum = checksumMix(checksum, (uint64_t)callGlobal(vm, "useCounters", 20000 + round));
    checksum = checksumMix(checksum, (uint64_t)callGlobal(vm, "fillAndSum", 20000 + round));
    checksum = checksumMix(checksum, (uint64_t)callGlobal(vm, "buildString", 20000 + round));
  }
  checksum = checksumMix(checksum, vm->stringCount > 0);
  printResult("scriptvm", size, checksum);
  return 0;
}
