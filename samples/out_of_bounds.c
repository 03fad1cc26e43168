/*
 * out_of_bounds.c: a store through a computed index that lands far outside
 * linear memory, so the module traps with an out-of-bounds memory access.
 *
 * The program builds a histogram of response times. Bucket indices are
 * value / BUCKET_WIDTH with no range check; one sample is a bogus
 * 2000000000 ms (think of a clock that went backwards), whose bucket index
 * puts the increment about 2 GB past the array, beyond the few hundred KiB
 * of memory the module has. In native code this would silently corrupt
 * memory or crash somewhere later; in wasm the store itself traps, and the
 * debugger stops right on it with the bad index in a local.
 *
 * The lines printed before the trap are flushed first: a trap ends the
 * program at once, so anything still in stdio's buffer would be lost.
 *
 *   wasmscope run build/samples/out_of_bounds.O0.wasm [BOGUS_MS]
 *
 * Exit status: wasmscope's trap status (see `wasmscope run --help`).
 */
#include <stdio.h>
#include <stdlib.h>

#define BUCKET_COUNT 16
#define BUCKET_WIDTH 4 /* milliseconds per bucket */

static unsigned int g_histogram[BUCKET_COUNT];

/* The bug: no check that the bucket is below BUCKET_COUNT. */
static void record(unsigned int milliseconds) {
    unsigned int bucket = milliseconds / BUCKET_WIDTH;
    g_histogram[bucket] += 1;
}

static void print_histogram(void) {
    for (int i = 0; i < BUCKET_COUNT; ++i)
        if (g_histogram[i])
            printf("  %3d-%3d ms: %u\n", i * BUCKET_WIDTH, (i + 1) * BUCKET_WIDTH - 1,
                   g_histogram[i]);
}

int main(int argc, char **argv) {
    /* The bogus sample comes from the command line so the compiler cannot
     * see the bad index coming; 2000000000 unless told otherwise. */
    unsigned int bogus = argc > 1 ? (unsigned int)strtoul(argv[1], NULL, 10) : 2000000000u;
    unsigned int samples[] = {3, 7, 12, 5, 9, 31, 17, 2, bogus, 11};
    size_t sample_count = sizeof samples / sizeof samples[0];

    for (size_t i = 0; i < sample_count; ++i) {
        printf("recording sample %zu: %u ms\n", i, samples[i]);
        fflush(stdout);
        record(samples[i]);
    }
    printf("histogram:\n");
    print_histogram();
    return 0;
}
