/* blocking.c: a guest that blocks in a host call and stays there, for the
 * tests of ending a session whose guest cannot stop at once.
 *   blocking.wasm [sleep]   sleeps for an hour (poll_oneoff on a clock)
 *   blocking.wasm read      reads stdin (blocks while nothing arrives) */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "sleep";
    printf("blocking in %s\n", mode);
    fflush(stdout);
    if (strcmp(mode, "read") == 0) {
        char buffer[16];
        return (int)read(0, buffer, sizeof buffer);
    }
    sleep(3600);
    return 0;
}
