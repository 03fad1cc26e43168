/* worker: a long-running program to attach a debugger to while it runs
 * (`wasmscope run --debug-port`). It runs jobs, each a checksum over a
 * buffer refilled every round, and prints one line per job.
 *
 *   worker [JOBS [ROUNDS]]  runs JOBS jobs (default 5) of ROUNDS rounds each
 *                           (default 2000); large values run as long as you like
 *   worker -                reads jobs from stdin, one line "ROUNDS" each,
 *                           until the end of input: a service waiting for work
 *
 * Output is deterministic: the same jobs give the same lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct job {
  int id;
  unsigned rounds;
  unsigned checksum;
};

static unsigned char buffer[4096];

/* One byte into an FNV-1a hash. */
static unsigned mix(unsigned hash, unsigned char byte) {
  return (hash ^ byte) * 16777619u;
}

static void run_job(struct job *job) {
  unsigned hash = 2166136261u;
  for (unsigned round = 0; round < job->rounds; round++) {
    for (size_t i = 0; i < sizeof buffer; i++)
      buffer[i] = (unsigned char)(i * 31u + round + (unsigned)job->id);
    for (size_t i = 0; i < sizeof buffer; i++)
      hash = mix(hash, buffer[i]); /* the hot loop */
  }
  job->checksum = hash;
}

static void report(const struct job *job) {
  printf("job %d: %u rounds, checksum %08x\n", job->id, job->rounds, job->checksum);
  fflush(stdout);
}

/* Jobs from stdin until its end; returns how many ran. */
static int serve_stdin(void) {
  char line[64];
  int done = 0;
  while (fgets(line, sizeof line, stdin)) {
    struct job job = {done + 1, (unsigned)strtoul(line, NULL, 10), 0};
    run_job(&job);
    report(&job); /* each job from stdin */
    done++;
  }
  return done;
}

int main(int argc, char **argv) {
  int jobs = 5;
  unsigned rounds = 2000;
  if (argc > 1 && strcmp(argv[1], "-") == 0) {
    int done = serve_stdin();
    fprintf(stderr, "worker: %d jobs from stdin\n", done);
    return 0;
  }
  if (argc > 1)
    jobs = atoi(argv[1]);
  if (argc > 2)
    rounds = (unsigned)strtoul(argv[2], NULL, 10);
  if (jobs < 0) {
    fprintf(stderr, "usage: worker [JOBS [ROUNDS]] | worker -\n");
    return 2;
  }
  for (int id = 1; id <= jobs; id++) {
    struct job job = {id, rounds, 0};
    run_job(&job);
    report(&job); /* each job from the command line */
  }
  fprintf(stderr, "worker: %d jobs\n", jobs);
  return 0;
}
