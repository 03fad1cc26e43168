/*
 * compute.c: two CPU kernels split into a few functions, for instruction
 * profiles and flame graphs. A Mandelbrot set is rendered into a byte
 * buffer (most of the time goes to mandel_point, called once per pixel) and
 * hashed with FNV-1a; an n-body simulation of the outer planets (the
 * Benchmarks Game's) advances the system and reports its energy. Both print
 * results that are the same on every host: wasm floating point is
 * deterministic, and the formatting happens inside the module.
 *
 *   wasmscope run build/samples/compute.O2.wasm [SIZE] [STEPS]
 *
 * SIZE is the image's width and height (default 96), STEPS the number of
 * n-body steps (default 2000).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The kernels stay out of line even at -O2, so that profiles of both builds
 * show them as functions; render_row is left to the inliner, and at -O2 it
 * shows up as an inlined frame inside render. */
#define KERNEL __attribute__((noinline))

/* ---- Mandelbrot ------------------------------------------------------- */

#define MAX_ITERATIONS 255

/* Iterations before z = z^2 + c escapes |z| > 2, capped at MAX_ITERATIONS. */
KERNEL static int mandel_point(double cr, double ci) {
    double zr = 0.0, zi = 0.0;
    int n = 0;
    while (n < MAX_ITERATIONS && zr * zr + zi * zi <= 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2.0 * zr * zi + ci;
        zr = t;
        ++n;
    }
    return n;
}

/* One row of the image over the region [-2, 0.5] x [-1.25, 1.25]. */
static void render_row(unsigned char *row, int y, int size) {
    double ci = -1.25 + 2.5 * y / size;
    for (int x = 0; x < size; ++x) {
        double cr = -2.0 + 2.5 * x / size;
        row[x] = (unsigned char)mandel_point(cr, ci);
    }
}

KERNEL static void render(unsigned char *image, int size) {
    for (int y = 0; y < size; ++y)
        render_row(image + (size_t)y * size, y, size);
}

/* FNV-1a, 32 bits. */
KERNEL static uint32_t checksum(const unsigned char *bytes, size_t length) {
    uint32_t hash = 2166136261u;
    for (size_t i = 0; i < length; ++i) {
        hash ^= bytes[i];
        hash *= 16777619u;
    }
    return hash;
}

/* Pixels that never escaped: an estimate of the set's area. */
KERNEL static long count_inside(const unsigned char *image, int size) {
    long inside = 0;
    for (long i = 0; i < (long)size * size; ++i)
        inside += image[i] == MAX_ITERATIONS;
    return inside;
}

/* ---- n-body ----------------------------------------------------------- */

#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24
#define BODY_COUNT 5

typedef struct {
    double x, y, z;
    double vx, vy, vz;
    double mass;
} Body;

static Body g_bodies[BODY_COUNT] = {
    /* Sun */
    {0, 0, 0, 0, 0, 0, SOLAR_MASS},
    /* Jupiter */
    {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
     -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS},
    /* Saturn */
    {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
     2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS},
    /* Uranus */
    {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
     -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS},
    /* Neptune */
    {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
     -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS},
};

/* Gives the Sun the momentum that makes the system's total zero. */
KERNEL static void offset_momentum(Body *bodies) {
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < BODY_COUNT; ++i) {
        px += bodies[i].vx * bodies[i].mass;
        py += bodies[i].vy * bodies[i].mass;
        pz += bodies[i].vz * bodies[i].mass;
    }
    bodies[0].vx = -px / SOLAR_MASS;
    bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
}

/* Kinetic plus potential energy of the system. */
KERNEL static double energy(const Body *bodies) {
    double e = 0;
    for (int i = 0; i < BODY_COUNT; ++i) {
        const Body *a = &bodies[i];
        e += 0.5 * a->mass * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
        for (int j = i + 1; j < BODY_COUNT; ++j) {
            const Body *b = &bodies[j];
            double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
            e -= a->mass * b->mass / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

/* One step of dt: pairwise velocity updates, then positions. */
KERNEL static void advance(Body *bodies, double dt) {
    for (int i = 0; i < BODY_COUNT; ++i) {
        Body *a = &bodies[i];
        for (int j = i + 1; j < BODY_COUNT; ++j) {
            Body *b = &bodies[j];
            double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
            double distance2 = dx * dx + dy * dy + dz * dz;
            double magnitude = dt / (distance2 * sqrt(distance2));
            a->vx -= dx * b->mass * magnitude;
            a->vy -= dy * b->mass * magnitude;
            a->vz -= dz * b->mass * magnitude;
            b->vx += dx * a->mass * magnitude;
            b->vy += dy * a->mass * magnitude;
            b->vz += dz * a->mass * magnitude;
        }
    }
    for (int i = 0; i < BODY_COUNT; ++i) {
        bodies[i].x += dt * bodies[i].vx;
        bodies[i].y += dt * bodies[i].vy;
        bodies[i].z += dt * bodies[i].vz;
    }
}

/* ---- main ------------------------------------------------------------- */

int main(int argc, char **argv) {
    int size = argc > 1 ? atoi(argv[1]) : 96;
    int steps = argc > 2 ? atoi(argv[2]) : 2000;
    if (size <= 0 || steps < 0) {
        fprintf(stderr, "usage: compute [SIZE > 0] [STEPS >= 0]\n");
        return 2;
    }

    unsigned char *image = malloc((size_t)size * size);
    if (!image) {
        fprintf(stderr, "compute: out of memory for a %dx%d image\n", size, size);
        return 1;
    }
    render(image, size);
    printf("mandelbrot %dx%d: checksum %08x, %ld pixels inside\n", size, size,
           (unsigned)checksum(image, (size_t)size * size), count_inside(image, size));
    free(image);

    offset_momentum(g_bodies);
    printf("n-body energy before: %.9f\n", energy(g_bodies));
    for (int i = 0; i < steps; ++i)
        advance(g_bodies, 0.01);
    printf("n-body energy after %d steps: %.9f\n", steps, energy(g_bodies));
    return 0;
}
