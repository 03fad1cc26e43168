// A WASI guest that prints clock readings, random bytes and the effect of a
// sleep (poll_oneoff), so tests can compare deterministic runs.
#include <wasi/api.h>

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now(__wasi_clockid_t id) {
  __wasi_timestamp_t t = 0;
  __wasi_errno_t e = __wasi_clock_time_get(id, 1, &t);
  return e ? 0 : t;
}

int main(void) {
  __wasi_timestamp_t res = 0;
  printf("res=%d:%llu\n", __wasi_clock_res_get(__WASI_CLOCKID_MONOTONIC, &res),
         (unsigned long long)res);
  printf("realtime=%llu\n", now(__WASI_CLOCKID_REALTIME));
  printf("monotonic=%llu\n", now(__WASI_CLOCKID_MONOTONIC));
  printf("process=%llu thread=%llu\n", now(__WASI_CLOCKID_PROCESS_CPUTIME_ID),
         now(__WASI_CLOCKID_THREAD_CPUTIME_ID));
  __wasi_timestamp_t bad;
  printf("badclock=%d\n", __wasi_clock_time_get(9, 1, &bad));
  unsigned char bytes[16];
  printf("random=%d:", __wasi_random_get(bytes, sizeof bytes));
  for (int i = 0; i < 16; ++i)
    printf("%02x", bytes[i]);
  printf("\n");
  unsigned long long before = now(__WASI_CLOCKID_MONOTONIC);
  struct timespec ts = {0, 50 * 1000 * 1000}; // 50 ms through poll_oneoff
  nanosleep(&ts, NULL);
  unsigned long long slept = now(__WASI_CLOCKID_MONOTONIC) - before;
  printf("slept_ms=%llu\n", slept / 1000000);
  printf("time=%lld\n", (long long)time(NULL));
  return 0;
}
