/* steps.c: a small program whose line numbers the session tests assert.
 * Keep the lines where they are: tests name them (see SessionTestSupport.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct Point { int x; int y; };

static int add(int a, int b) {
    int sum = a + b;
    return sum;
}

static int twice(int v) {
    int r = add(v, v);
    return r;
}

static volatile int g_spin = 1;
static int g_counter;

static void spin(void) {
    while (g_spin)
        g_counter++;
}

int main(int argc, char **argv) {
    int total = 0;
    for (int i = 0; i < 5; ++i)
        total += twice(i);
    struct Point p = {3, 4};
    struct Point *pp = &p;
    char word[8] = "hi";
    pp->y += total;
    if (argc > 1 && strcmp(argv[1], "spin") == 0)
        spin();
    if (argc > 1 && strcmp(argv[1], "trap") == 0)
        abort();
    printf("total %d, p.y %d, %s\n", total, p.y, word);
    return total == 20 ? 7 : 1;
}
