/* Heap profiler test program: allocator misuse the profiler reports with
 * both stacks while the run goes on. The guest's own allocator is a small
 * free-list allocator named with --allocator (wasi-libc's dlmalloc aborts
 * on a double free, which would end the run before the report matters). */
#include <stdio.h>
#include <stdlib.h>

static unsigned char arena[4096];
static size_t used;

__attribute__((noinline)) void *pool_alloc(size_t n) {
    n = (n + 7) & ~(size_t)7;
    if (used + n > sizeof arena)
        return NULL;
    void *p = arena + used;
    used += n;
    return p;
}

__attribute__((noinline)) void pool_free(void *p) { (void)p; /* a bump allocator never reuses */ }

__attribute__((noinline)) void *pool_realloc(void *p, size_t n) {
    (void)p;
    return pool_alloc(n);
}

static int not_from_the_pool;

int main(void) {
    char *a = pool_alloc(16);      /* MISUSE_ALLOC */
    pool_free(a);                  /* MISUSE_FIRST_FREE */
    pool_free(a);                  /* MISUSE_DOUBLE_FREE */
    pool_free(&not_from_the_pool); /* MISUSE_INVALID_FREE */
    char *b = pool_alloc(24);      /* MISUSE_ALLOC_B */
    pool_free(b);                  /* MISUSE_FREE_B */
    b = pool_realloc(b, 48);       /* MISUSE_REALLOC_FREED */
    pool_free(b);
    puts("still running");
    return 0;
}
