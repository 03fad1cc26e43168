;; WASI calls that wait, and the file types of stdio: each export returns the
;; errno the host gave (or the value asked for). The tests interrupt the
;; waits from another thread and read the types as wasi-libc would.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)

  ;; poll_oneoff with one relative clock subscription of `ns` nanoseconds
  ;; (subscription at 0, event at 64, nevents at 128).
  (func $sleep (param $ns i64) (result i32)
    (i64.store (i32.const 0) (i64.const 7))           ;; userdata
    (i32.store8 (i32.const 8) (i32.const 0))          ;; tag: clock
    (i32.store (i32.const 16) (i32.const 1))          ;; clock: monotonic
    (i64.store (i32.const 24) (local.get $ns))        ;; timeout
    (i64.store (i32.const 32) (i64.const 0))          ;; precision
    (i32.store16 (i32.const 40) (i32.const 0))        ;; flags: relative
    (call $poll_oneoff (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128)))
  (func (export "sleep_hour") (result i32) (call $sleep (i64.const 3600000000000)))
  (func (export "sleep_300ms") (result i32) (call $sleep (i64.const 300000000)))

  ;; fd_read of up to 64 bytes from stdin into 256; the count goes to 200.
  (func (export "read_stdin") (result i32)
    (i32.store (i32.const 192) (i32.const 256))
    (i32.store (i32.const 196) (i32.const 64))
    (call $fd_read (i32.const 0) (i32.const 192) (i32.const 1) (i32.const 200)))
  (func (export "read_count") (result i32) (i32.load (i32.const 200)))

  ;; poll_oneoff waiting for stdin to be readable, with no clock.
  (func (export "poll_stdin") (result i32)
    (i64.store (i32.const 0) (i64.const 9))
    (i32.store8 (i32.const 8) (i32.const 1))          ;; tag: fd_read
    (i32.store (i32.const 16) (i32.const 0))          ;; fd 0
    (call $poll_oneoff (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128)))

  ;; The filetype fd_fdstat_get reports for `fd`, or 1000 + errno.
  (func (export "filetype") (param $fd i32) (result i32)
    (local $e i32)
    (local.set $e (call $fd_fdstat_get (local.get $fd) (i32.const 512)))
    (if (result i32) (local.get $e)
      (then (i32.add (i32.const 1000) (local.get $e)))
      (else (i32.load8_u (i32.const 512)))))
  ;; wasi-libc's isatty(): a character device without the seek and tell rights.
  (func (export "isatty") (param $fd i32) (result i32)
    (if (result i32) (call $fd_fdstat_get (local.get $fd) (i32.const 512))
      (then (i32.const 0))
      (else
        (i32.and
          (i32.eq (i32.load8_u (i32.const 512)) (i32.const 2))
          (i64.eqz (i64.and (i64.load (i32.const 520)) (i64.const 36))))))))
