// A WASI guest exercising poll_oneoff directly: a clock alone, a clock with
// an fd that is ready at once, and subscriptions to bad fds.
#include <wasi/api.h>

#include <stdio.h>
#include <string.h>

static __wasi_subscription_t clockSub(__wasi_userdata_t ud, __wasi_timestamp_t ns) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = __WASI_EVENTTYPE_CLOCK;
  s.u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  s.u.u.clock.timeout = ns;
  return s;
}

static __wasi_subscription_t fdSub(__wasi_userdata_t ud, __wasi_eventtype_t type, int fd) {
  __wasi_subscription_t s;
  memset(&s, 0, sizeof s);
  s.userdata = ud;
  s.u.tag = type;
  s.u.u.fd_read.file_descriptor = fd;
  return s;
}

static void show(const char* label, __wasi_subscription_t* subs, int n) {
  __wasi_event_t ev[4];
  size_t count = 0;
  __wasi_errno_t e = __wasi_poll_oneoff(subs, ev, n, &count);
  printf("%s: errno=%d n=%zu", label, e, count);
  for (size_t i = 0; i < count; ++i)
    printf(" [ud=%llu type=%d err=%d nbytes=%llu]", (unsigned long long)ev[i].userdata,
           ev[i].type, ev[i].error, (unsigned long long)ev[i].fd_readwrite.nbytes);
  printf("\n");
}

int main(void) {
  __wasi_fd_t fd;
  __wasi_errno_t e = __wasi_path_open(3, 0, "data.txt", 0,
                                      __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_POLL_FD_READWRITE,
                                      0, 0, &fd);
  printf("open: %d\n", e);

  __wasi_timestamp_t t0 = 0, t1 = 0;
  __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t0);
  __wasi_subscription_t a[] = {clockSub(7, 20 * 1000 * 1000)};
  show("clock", a, 1);
  __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &t1);
  printf("waited_ms>=20: %d\n", (t1 - t0) >= 20 * 1000 * 1000);

  __wasi_subscription_t b[] = {clockSub(1, 5ull * 1000 * 1000 * 1000),
                               fdSub(2, __WASI_EVENTTYPE_FD_READ, fd)};
  show("file", b, 2);
  __wasi_subscription_t c[] = {fdSub(3, __WASI_EVENTTYPE_FD_WRITE, 1)};
  show("stdout", c, 1);
  __wasi_subscription_t d[] = {fdSub(4, __WASI_EVENTTYPE_FD_READ, 99)};
  show("badfd", d, 1);
  __wasi_event_t ev;
  size_t n;
  printf("none: %d\n", __wasi_poll_oneoff(a, &ev, 0, &n));
  return 0;
}
