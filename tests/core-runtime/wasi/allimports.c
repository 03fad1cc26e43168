// A WASI guest that imports every function wasi-libc can import, with the
// signatures wasi-libc declares, so instantiating it checks that this host
// provides each one with a matching type. It calls none of them unless run
// with 99 arguments.
#include <wasi/api.h>

#include <stdint.h>

int main(int argc, char** argv) {
  if (argc != 99)
    return 0;
  uint8_t b[8];
  size_t n;
  __wasi_fd_t fd;
  __wasi_timestamp_t t;
  __wasi_fdstat_t fs;
  __wasi_filestat_t st;
  __wasi_prestat_t ps;
  __wasi_filesize_t sz;
  __wasi_iovec_t iov = {b, 8};
  __wasi_ciovec_t ciov = {b, 8};
  __wasi_roflags_t ro;
  __wasi_subscription_t sub;
  __wasi_event_t ev;
  int r = 0;
  r |= __wasi_args_get((uint8_t**)b, b);
  r |= __wasi_args_sizes_get(&n, &n);
  r |= __wasi_environ_get((uint8_t**)b, b);
  r |= __wasi_environ_sizes_get(&n, &n);
  r |= __wasi_clock_res_get(0, &t);
  r |= __wasi_clock_time_get(0, 0, &t);
  r |= __wasi_fd_advise(3, 0, 0, 0);
  r |= __wasi_fd_allocate(3, 0, 0);
  r |= __wasi_fd_close(3);
  r |= __wasi_fd_datasync(3);
  r |= __wasi_fd_fdstat_get(3, &fs);
  r |= __wasi_fd_fdstat_set_flags(3, 0);
  r |= __wasi_fd_fdstat_set_rights(3, 0, 0);
  r |= __wasi_fd_filestat_get(3, &st);
  r |= __wasi_fd_filestat_set_size(3, 0);
  r |= __wasi_fd_filestat_set_times(3, 0, 0, 0);
  r |= __wasi_fd_pread(3, &iov, 1, 0, &n);
  r |= __wasi_fd_prestat_get(3, &ps);
  r |= __wasi_fd_prestat_dir_name(3, b, 8);
  r |= __wasi_fd_pwrite(3, &ciov, 1, 0, &n);
  r |= __wasi_fd_read(3, &iov, 1, &n);
  r |= __wasi_fd_readdir(3, b, 8, 0, &n);
  r |= __wasi_fd_renumber(3, 4);
  r |= __wasi_fd_seek(3, 0, 0, &sz);
  r |= __wasi_fd_sync(3);
  r |= __wasi_fd_tell(3, &sz);
  r |= __wasi_fd_write(3, &ciov, 1, &n);
  r |= __wasi_path_create_directory(3, "a");
  r |= __wasi_path_filestat_get(3, 0, "a", &st);
  r |= __wasi_path_filestat_set_times(3, 0, "a", 0, 0, 0);
  r |= __wasi_path_link(3, 0, "a", 3, "b");
  r |= __wasi_path_open(3, 0, "a", 0, 0, 0, 0, &fd);
  r |= __wasi_path_readlink(3, "a", b, 8, &n);
  r |= __wasi_path_remove_directory(3, "a");
  r |= __wasi_path_rename(3, "a", 3, "b");
  r |= __wasi_path_symlink("a", 3, "b");
  r |= __wasi_path_unlink_file(3, "a");
  r |= __wasi_poll_oneoff(&sub, &ev, 1, &n);
  r |= __wasi_random_get(b, 8);
  r |= __wasi_sched_yield();
  r |= __wasi_sock_accept(3, 0, &fd);
  r |= __wasi_sock_recv(3, &iov, 1, 0, &n, &ro);
  r |= __wasi_sock_send(3, &ciov, 1, 0, &n);
  r |= __wasi_sock_shutdown(3, 0);
  __wasi_proc_exit(r);
}
