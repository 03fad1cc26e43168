// A WASI guest written against plain libc (stdio, dirent, unistd), as real
// programs are: wasi-libc maps these onto the preview1 imports through the
// preopened directory, so this checks the host against wasi-libc's own use.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int compare(const void* a, const void* b) {
  return strcmp(*(char* const*)a, *(char* const*)b);
}

int main(void) {
  FILE* f = fopen("notes.txt", "w");
  if (!f) {
    printf("fopen failed: %s\n", strerror(errno));
    return 1;
  }
  fprintf(f, "line one\nline two\n");
  fclose(f);

  f = fopen("notes.txt", "a");
  fputs("line three\n", f);
  fclose(f);

  char buf[128] = {0};
  f = fopen("notes.txt", "r");
  size_t n = fread(buf, 1, sizeof buf - 1, f);
  fseek(f, 5, SEEK_SET);
  char word[4] = {0};
  fread(word, 1, 3, f);
  long pos = ftell(f);
  fclose(f);
  printf("read %zu bytes, word=%s pos=%ld\n", n, word, pos);
  fputs(buf, stdout);

  if (mkdir("sub", 0755) != 0)
    printf("mkdir failed: %s\n", strerror(errno));
  if (rename("notes.txt", "sub/moved.txt") != 0)
    printf("rename failed: %s\n", strerror(errno));
  struct stat st;
  if (stat("sub/moved.txt", &st) == 0)
    printf("moved size=%lld regular=%d\n", (long long)st.st_size, S_ISREG(st.st_mode));

  for (int i = 0; i < 3; ++i) {
    char name[32];
    snprintf(name, sizeof name, "sub/file%d", i);
    FILE* g = fopen(name, "w");
    fclose(g);
  }
  DIR* d = opendir("sub");
  char* names[16];
  int count = 0;
  struct dirent* e;
  while ((e = readdir(d)) && count < 16)
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
      names[count++] = strdup(e->d_name);
  closedir(d);
  qsort(names, count, sizeof names[0], compare);
  printf("sub:");
  for (int i = 0; i < count; ++i)
    printf(" %s", names[i]);
  printf("\n");

  unlink("sub/file1");
  printf("unlink twice: %d %s\n", unlink("sub/file1"), strerror(errno));
  printf("rmdir non-empty: %d %s\n", rmdir("sub"), strerror(errno));
  printf("open missing: %p %s\n", (void*)fopen("missing.txt", "r"), strerror(errno));
  printf("escape: %p %s\n", (void*)fopen("../secret.txt", "r"), strerror(errno));
  return 0;
}
