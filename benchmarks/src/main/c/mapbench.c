// SPDX-License-Identifier: Apache-2.0
/*
 * mapbench: the C baseline for the Java map benchmarks (org.xmasq.bench.MapOpsBenchmark).
 *
 * Makes exactly the libbpf calls the Java backends make, on the same map shape and keys, so that the ratio
 * C_ns / Java_ns isolates the cost of the Java-to-native transition:
 *   BPF_MAP_TYPE_HASH, key 8 bytes, value 64 bytes, 65536 max entries, pre-filled with keys 0..4095 (u64).
 *
 * Operations (names match the JMH methods):
 *   singleUpdate  bpf_map_update_elem(BPF_ANY) of one existing key, cycling through the 4096 keys
 *   singleLookup  bpf_map_lookup_elem of one existing key, cycling through the 4096 keys
 *   batchUpdate   bpf_map_update_batch of 256 existing keys (one of 16 consecutive slices); ns per element
 *   batchLookup   a full sweep of the map with bpf_map_lookup_batch, 256 per call; ns per element
 *
 * Each operation: warm-up, then --rounds timed rounds of --round-ms each; the reported figures are medians over
 * rounds of the wall-clock time (CLOCK_MONOTONIC) and of this thread's CPU time (CLOCK_THREAD_CPUTIME_ID, user +
 * system: unlike wall-clock time it leaves out the time spent waiting for a CPU on a loaded machine).
 * Output (stdout), one line per operation, tab separated:
 *   op <TAB> ns_per_op_median <TAB> min <TAB> max <TAB> rounds <TAB> ops_timed <TAB> cpu_ns_per_op_median
 * Lines starting with '#' are comments. Exit status 0 on success, 1 on any libbpf error (message on stderr).
 *
 * --serve: timed slices on request, so that a JMH benchmark can alternate its own iterations with C slices of the
 * same operation (seconds apart, under the same load). Reads lines "OP MS" from stdin; for each, runs OP for MS
 * milliseconds (after --warmup-ms of warm-up the first time OP is asked for) and answers one line
 * "wall_ns_per_op <TAB> cpu_ns_per_op". Exits at end of input.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define KEY_SIZE 8
#define VALUE_SIZE 64
#define MAX_ENTRIES 65536
#define N_KEYS 4096
#define BATCH 256
#define MAX_ROUNDS 101

static int map_fd = -1;
static uint64_t *keys;          /* N_KEYS keys, 0..N_KEYS-1 */
static uint8_t *values;         /* BATCH values for update_batch */
static uint8_t *out_keys;       /* BATCH keys for lookup_batch */
static uint8_t *out_values;     /* BATCH values for lookup_batch */
static uint8_t value[VALUE_SIZE];
static uint8_t out_value[VALUE_SIZE];
static volatile uint64_t sink;  /* keeps results observable */

static uint64_t now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "mapbench: %s failed: %s (%d)\n", what, strerror(err < 0 ? -err : err), err);
	exit(1);
}

/* One step of an operation: performs some calls and returns how many elements it handled. */
typedef uint64_t (*step_fn)(uint64_t i);

static uint64_t single_update(uint64_t i)
{
	int err = bpf_map_update_elem(map_fd, &keys[i & (N_KEYS - 1)], value, BPF_ANY);

	if (err)
		die("bpf_map_update_elem", err);
	return 1;
}

static uint64_t single_lookup(uint64_t i)
{
	int err = bpf_map_lookup_elem(map_fd, &keys[i & (N_KEYS - 1)], out_value);

	if (err)
		die("bpf_map_lookup_elem", err);
	sink += out_value[0];
	return 1;
}

static uint64_t batch_update(uint64_t i)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = 0, .flags = 0);
	uint32_t count = BATCH;
	int err = bpf_map_update_batch(map_fd, &keys[(i % (N_KEYS / BATCH)) * BATCH], values, &count, &opts);

	if (err)
		die("bpf_map_update_batch", err);
	return count;
}

/* A full sweep: the hash map's batch cursor cannot be resumed across sweeps without changing what is measured. */
static uint64_t batch_lookup(uint64_t i)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = 0, .flags = 0);
	uint64_t in_batch = 0, out_batch = 0, total = 0;
	int first = 1;

	(void)i;
	for (;;) {
		uint32_t count = BATCH;
		int err = bpf_map_lookup_batch(map_fd, first ? NULL : &in_batch, &out_batch, out_keys, out_values,
					       &count, &opts);

		if (err && err != -ENOENT)
			die("bpf_map_lookup_batch", err);
		total += count;
		sink += out_keys[0];
		if (err == -ENOENT)
			break;
		in_batch = out_batch;
		first = 0;
	}
	if (total != N_KEYS) {
		fprintf(stderr, "mapbench: a lookup_batch sweep returned %llu entries, expected %d\n",
			(unsigned long long)total, N_KEYS);
		exit(1);
	}
	return total;
}

/* Runs steps until at least duration_ns has passed; returns wall-clock ns per element, *cpu_ns CPU ns per element. */
static double timed(step_fn step, uint64_t duration_ns, uint64_t *elements_out, double *cpu_ns)
{
	uint64_t cpu_start = now_ns(CLOCK_THREAD_CPUTIME_ID), start = now_ns(CLOCK_MONOTONIC), end, elements = 0, i = 0;

	do {
		/* check the clock every 64 steps so that clock_gettime stays out of the per-op cost */
		for (int k = 0; k < 64; k++)
			elements += step(i++);
		end = now_ns(CLOCK_MONOTONIC);
	} while (end - start < duration_ns);
	*cpu_ns = (double)(now_ns(CLOCK_THREAD_CPUTIME_ID) - cpu_start) / (double)elements;
	*elements_out += elements;
	return (double)(end - start) / (double)elements;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts v and returns its median. */
static double median(double *v, int n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void run(const char *name, step_fn step, int rounds, int round_ms, int warmup_ms)
{
	double ns[MAX_ROUNDS], cpu[MAX_ROUNDS], ignored_cpu, wall;
	uint64_t elements = 0, ignored = 0;

	timed(step, (uint64_t)warmup_ms * 1000000ull, &ignored, &ignored_cpu);
	for (int r = 0; r < rounds; r++)
		ns[r] = timed(step, (uint64_t)round_ms * 1000000ull, &elements, &cpu[r]);
	wall = median(ns, rounds);
	printf("%s\t%.2f\t%.2f\t%.2f\t%d\t%llu\t%.2f\n", name, wall, ns[0], ns[rounds - 1], rounds,
	       (unsigned long long)elements, median(cpu, rounds));
	fflush(stdout);
}

static const struct {
	const char *name;
	step_fn step;
} OPS[] = {
	{ "singleUpdate", single_update },
	{ "singleLookup", single_lookup },
	{ "batchUpdate", batch_update },
	{ "batchLookup", batch_lookup },
};
#define N_OPS ((int)(sizeof(OPS) / sizeof(OPS[0])))

static void serve(int warmup_ms)
{
	char line[128], name[64];
	int ms, warm[N_OPS] = { 0 };

	while (fgets(line, sizeof(line), stdin)) {
		double wall, cpu, ignored_cpu;
		uint64_t elements = 0, ignored = 0;
		int op = -1;

		if (sscanf(line, "%63s %d", name, &ms) != 2 || ms < 1) {
			fprintf(stderr, "mapbench: bad request: %s", line);
			exit(2);
		}
		for (int o = 0; o < N_OPS; o++)
			if (!strcmp(name, OPS[o].name))
				op = o;
		if (op < 0) {
			fprintf(stderr, "mapbench: unknown operation %s\n", name);
			exit(2);
		}
		if (!warm[op]) {
			timed(OPS[op].step, (uint64_t)warmup_ms * 1000000ull, &ignored, &ignored_cpu);
			warm[op] = 1;
		}
		wall = timed(OPS[op].step, (uint64_t)ms * 1000000ull, &elements, &cpu);
		printf("%.2f\t%.2f\n", wall, cpu);
		fflush(stdout);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: mapbench [--rounds N] [--round-ms MS] [--warmup-ms MS] [--only OP]\n"
			"       mapbench --serve [--warmup-ms MS]   (requests \"OP MS\" on stdin)\n"
			"  OP: singleUpdate singleLookup batchUpdate batchLookup\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rounds", required_argument, NULL, 'r' },
		{ "round-ms", required_argument, NULL, 'm' },
		{ "warmup-ms", required_argument, NULL, 'w' },
		{ "only", required_argument, NULL, 'o' },
		{ "serve", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	int rounds = 5, round_ms = 1000, warmup_ms = 2000, serving = 0, c, err;
	const char *only = NULL;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'r': rounds = atoi(optarg); break;
		case 'm': round_ms = atoi(optarg); break;
		case 'w': warmup_ms = atoi(optarg); break;
		case 'o': only = optarg; break;
		case 's': serving = 1; break;
		default: usage();
		}
	}
	if (optind != argc || rounds < 1 || rounds > MAX_ROUNDS || round_ms < 1 || warmup_ms < 0)
		usage();

	keys = aligned_alloc(64, N_KEYS * KEY_SIZE);
	values = aligned_alloc(64, BATCH * VALUE_SIZE);
	out_keys = aligned_alloc(64, BATCH * KEY_SIZE);
	out_values = aligned_alloc(64, BATCH * VALUE_SIZE);
	if (!keys || !values || !out_keys || !out_values)
		die("aligned_alloc", ENOMEM);
	for (uint64_t k = 0; k < N_KEYS; k++)
		keys[k] = k;
	for (int b = 0; b < BATCH * VALUE_SIZE; b++)
		values[b] = (uint8_t)b;
	memset(value, 0x5a, sizeof(value));

	map_fd = bpf_map_create(BPF_MAP_TYPE_HASH, "xmq_bench_c", KEY_SIZE, VALUE_SIZE, MAX_ENTRIES, NULL);
	if (map_fd < 0)
		die("bpf_map_create", map_fd);
	for (int s = 0; s < N_KEYS / BATCH; s++)
		batch_update(s);

	if (serving) {
		serve(warmup_ms);
	} else {
		printf("# mapbench libbpf %u.%u map HASH key=%d value=%d max_entries=%d keys=%d batch=%d rounds=%d "
		       "round_ms=%d\n", libbpf_major_version(), libbpf_minor_version(), KEY_SIZE, VALUE_SIZE, MAX_ENTRIES,
		       N_KEYS, BATCH, rounds, round_ms);
		printf("# op\tns_per_op_median\tmin\tmax\trounds\tops_timed\tcpu_ns_per_op_median\n");
		for (int o = 0; o < N_OPS; o++)
			if (!only || !strcmp(only, OPS[o].name))
				run(OPS[o].name, OPS[o].step, rounds, round_ms, warmup_ms);
	}

	err = close(map_fd);
	if (err)
		die("close", -errno);
	return 0;
}
