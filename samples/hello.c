/*
 * hello.c: the WASI basics a real command-line program uses. It prints its
 * arguments, reads the GREETING environment variable, then writes a file in
 * a preopened directory, reads it back and checks that the bytes match. A
 * status line goes to stderr, so a front end can show both streams apart.
 *
 * Run it with a host directory preopened as /sandbox (HELLO_DIR names
 * another guest directory):
 *
 *   wasmscope run --dir /tmp/hello::/sandbox --env GREETING=hi \
 *       build/samples/hello.O0.wasm alpha "two words"
 *
 * Without a preopened directory the file step fails with a message on stderr
 * and exit status 1: a WASI program sees only the directories it is given.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILE_NAME "hello.txt"

static void print_arguments(int argc, char **argv) {
    printf("argc = %d\n", argc);
    for (int i = 0; i < argc; ++i)
        printf("argv[%d] = \"%s\"\n", i, argv[i]);
}

static void print_greeting(void) {
    const char *greeting = getenv("GREETING");
    if (greeting)
        printf("GREETING = \"%s\"\n", greeting);
    else
        printf("GREETING is not set\n");
}

/* Writes `text` to `path`; returns 0, or -1 with a message on stderr. */
static int write_file(const char *path, const char *text) {
    FILE *file = fopen(path, "w");
    if (!file) {
        fprintf(stderr, "hello: cannot create %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t length = strlen(text);
    size_t written = fwrite(text, 1, length, file);
    if (fclose(file) != 0 || written != length) {
        fprintf(stderr, "hello: cannot write %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

/* Reads at most `size - 1` bytes of `path` into `buffer`, NUL-terminated;
 * returns the byte count, or -1 with a message on stderr. */
static long read_file(const char *path, char *buffer, size_t size) {
    FILE *file = fopen(path, "r");
    if (!file) {
        fprintf(stderr, "hello: cannot open %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t count = fread(buffer, 1, size - 1, file);
    int failed = ferror(file);
    fclose(file);
    if (failed) {
        fprintf(stderr, "hello: cannot read %s\n", path);
        return -1;
    }
    buffer[count] = '\0';
    return (long)count;
}

int main(int argc, char **argv) {
    print_arguments(argc, argv);
    print_greeting();

    const char *directory = getenv("HELLO_DIR");
    if (!directory)
        directory = "/sandbox";
    char path[256];
    snprintf(path, sizeof path, "%s/%s", directory, FILE_NAME);

    char text[128];
    snprintf(text, sizeof text, "Hello from WebAssembly, %d argument%s.\n", argc - 1,
             argc == 2 ? "" : "s");
    if (write_file(path, text) != 0)
        return 1;

    char back[128];
    long count = read_file(path, back, sizeof back);
    if (count < 0)
        return 1;
    printf("read %ld bytes back from %s: %s", count, path, back);
    if (strcmp(back, text) != 0) {
        fprintf(stderr, "hello: %s does not hold what was written\n", path);
        return 1;
    }
    fprintf(stderr, "hello: file round trip ok\n");
    return 0;
}
