/* Leak-check test program, one leak of each memcheck class, built both for
 * wasm32-wasi (the profiler's tests) and natively (the Valgrind oracle):
 *   definitely lost: three 24-byte buffers whose pointers are dropped, and
 *     a 64-byte block from realloc;
 *   indirectly lost: the three nodes behind a lost list head (itself
 *     definitely lost);
 *   possibly lost: a 100-byte block reached only through a pointer into it;
 *   still reachable: a two-node list a global keeps.
 * The allocations happen in helper functions so that no stale copy of a
 * pointer stays in main's frame. */
#include <stdlib.h>
#include <string.h>

struct node {
  struct node *next;
  int value;
};

static struct node *kept;  /* still reachable */
static char *interior;     /* points 10 bytes into its block */

__attribute__((noinline)) static struct node *make_list(int n) {
  struct node *head = 0;
  for (int i = 0; i < n; ++i) {
    struct node *nd = malloc(sizeof *nd); /* LIST_NODE */
    nd->next = head;
    nd->value = i;
    head = nd;
  }
  return head;
}

__attribute__((noinline)) static void lose_buffers(void) {
  for (int i = 0; i < 3; ++i) {
    char *p = malloc(24); /* DEFINITE_BUFFER */
    memset(p, i + 1, 24);
  }
}

__attribute__((noinline)) static void lose_list(void) {
  struct node *list = make_list(4);
  list->value = 42;
}

__attribute__((noinline)) static void keep_interior(void) {
  char *b = malloc(100); /* POSSIBLE */
  memset(b, 7, 100);
  interior = b + 10;
}

__attribute__((noinline)) static void lose_realloc(void) {
  char *r = malloc(8);
  r = realloc(r, 64); /* DEFINITE_REALLOC */
  memset(r, 3, 64);
}

__attribute__((noinline)) static void no_leak(void) {
  int *a = calloc(10, sizeof(int));
  a = realloc(a, 400);
  a[99] = 1;
  free(a);
}

__attribute__((noinline)) static void scrub_stack(void) {
  /* Overwrite the dead frames below, so no stale pointer survives there
   * (Valgrind scans only the live stack too, but registers may keep one). */
  volatile char pad[512];
  memset((char *)pad, 0, sizeof pad);
}

int main(void) {
  lose_buffers();
  lose_list();
  kept = make_list(2);
  keep_interior();
  lose_realloc();
  no_leak();
  scrub_stack();
  return 0;
}
