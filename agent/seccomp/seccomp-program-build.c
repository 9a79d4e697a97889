/* SPDX-License-Identifier: MIT */
/* Building a rule set's linked program: one libseccomp filter per
 * architecture, exported, then linked (seccomp-program.c).
 *
 * The architectures share nothing but the read-only rule set, so they are
 * built on several threads when asked: about 90% of the time is inside
 * libseccomp 2.5.4 (rule insertion, BPF layout, PFC printing), and each
 * architecture is a separate libseccomp context. Each thread appends its
 * architectures' exports to its own pair of memfds; the linker reads them
 * back in the architectures' fixed order, so the output does not depend on
 * which thread built what. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "base/macro.h"
#include "seccomp-generate.h"
#include "seccomp-names.h"
#include "seccomp-program.h"

/* Where one architecture's exports landed, in whose sinks. */
struct arch_job {
        const struct seccomp_arch *arch;
        unsigned worker;
        size_t bpf_at, bpf_size, pfc_at, pfc_size;
        struct seccomp_error err;
        int r;
};

struct worker {
        struct program_build *build;
        unsigned id;
        pthread_t thread;
        bool started;
        struct seccomp_export_sink bpf, pfc;
        const char *bpf_data, *pfc_data; /* their mappings */
};

struct program_build {
        const struct seccomp_ruleset *rs;
        enum seccomp_target target;
        bool with_pfc;
        struct arch_job jobs[SECCOMP_PROGRAM_MAX_ARCHES];
        size_t n_jobs;
        atomic_size_t next; /* the next job to take */
        atomic_bool failed; /* a job failed: take no more */
        struct worker workers[SECCOMP_PROGRAM_MAX_ARCHES];
        unsigned n_workers;
};

/* libseccomp does not check its own write(2) of the program: a whole
 * number of instructions ending in a return, or it was cut short. The
 * linker then checks the jumps. */
static int check_program(struct worker *w, const struct arch_job *job)
{
        struct sock_filter last;
        int r;

        if (job->bpf_size == 0 || job->bpf_size % sizeof(struct sock_filter) != 0)
                return -EBADMSG;
        r = seccomp_export_sink_peek(&w->bpf, job->bpf_at + job->bpf_size - sizeof(last), &last,
                                     sizeof(last));
        if (r < 0)
                return r;
        return BPF_CLASS(last.code) == BPF_RET ? 0 : -EBADMSG;
}

static int build_arch(const struct program_build *b, struct worker *w, struct arch_job *job)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx = NULL;
        int r;

        job->err.text[0] = '\0';
        r = seccomp_filter_build_arch(b->rs, job->arch, b->target, SECCOMP_LINK_MARKER, &job->err,
                                      &ctx);
        if (r < 0)
                return r;
        job->bpf_at = w->bpf.size;
        r = seccomp_export_sink_bpf(&w->bpf, ctx, &job->bpf_size);
        if (r < 0)
                return r;
        r = check_program(w, job);
        if (r < 0)
                return r;
        if (!b->with_pfc)
                return 0;
        /* The PFC footer shows the real action. */
        r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
                             seccomp_action_to_scmp(b->rs->badarch_action));
        if (r < 0)
                return r;
        job->pfc_at = w->pfc.size;
        return seccomp_export_sink_pfc(&w->pfc, ctx, &job->pfc_size);
}

/* Takes jobs until none is left or one failed: a thread that starts late
 * (or never) leaves more to the others. */
static void *work(void *arg)
{
        struct worker *w = arg;
        struct program_build *b = w->build;

        while (!atomic_load(&b->failed)) {
                size_t i = atomic_fetch_add(&b->next, 1);

                if (i >= b->n_jobs)
                        break;
                b->jobs[i].worker = w->id;
                b->jobs[i].r = build_arch(b, w, &b->jobs[i]);
                if (b->jobs[i].r < 0)
                        atomic_store(&b->failed, true);
        }
        return NULL;
}

static int worker_open(struct program_build *b, unsigned id)
{
        struct worker *w = &b->workers[id];
        int r;

        *w = (struct worker){.build = b, .id = id, .bpf.fd = -1, .pfc.fd = -1};
        r = seccomp_export_sink_open(&w->bpf);
        if (r >= 0 && b->with_pfc)
                r = seccomp_export_sink_open(&w->pfc);
        return r;
}

static void worker_done(struct worker *w)
{
        seccomp_export_sink_close(&w->bpf);
        seccomp_export_sink_close(&w->pfc);
}

/* libseccomp 2.5.4 probes the kernel lazily, into globals, the first time
 * it validates an action or a flag (and seccomp_api_get() probes some of
 * them only on newer kernels): validate every action and flag the build
 * will, here, before any thread starts, so that the threads only read
 * what is already set. */
static void probe_libseccomp(const struct program_build *b)
{
        _cleanup_seccomp_ scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
        const struct seccomp_ruleset *rs = b->rs;

        (void)seccomp_api_get();
        if (!ctx)
                return;
        (void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1);
        /* ACT_BADARCH validates its action as a rule's would be */
        (void)seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SECCOMP_LINK_MARKER);
        (void)seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
                               seccomp_action_to_scmp(rs->default_action));
        (void)seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
                               seccomp_action_to_scmp(rs->badarch_action));
        for (size_t i = 0; i < rs->n_rules; i++) {
                uint32_t action = seccomp_action_to_scmp(rs->rules[i].action);
                bool seen = false;

                /* a rule set has a handful of distinct actions */
                for (size_t j = 0; j < i && !seen; j++)
                        seen = seccomp_action_to_scmp(rs->rules[j].action) == action;
                if (!seen)
                        (void)seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, action);
        }
}

static int run(struct program_build *b, unsigned threads)
{
        unsigned want = threads < b->n_jobs ? threads : (unsigned)b->n_jobs;
        int r = 0;

        if (want == 0)
                want = 1;
        for (b->n_workers = 0; b->n_workers < want; b->n_workers++) {
                r = worker_open(b, b->n_workers);
                if (r < 0) {
                        worker_done(&b->workers[b->n_workers]);
                        /* fewer workers will do; none will not */
                        if (b->n_workers == 0)
                                return r;
                        break;
                }
        }
        if (b->n_workers > 1)
                probe_libseccomp(b);
        for (unsigned i = 1; i < b->n_workers; i++)
                /* Not started (no thread to spare, or a filter refusing
                 * clone): the others take its share. */
                b->workers[i].started =
                    pthread_create(&b->workers[i].thread, NULL, work, &b->workers[i]) == 0;
        work(&b->workers[0]);
        for (unsigned i = 1; i < b->n_workers; i++)
                if (b->workers[i].started)
                        (void)pthread_join(b->workers[i].thread, NULL);
        for (size_t i = 0; i < b->n_jobs; i++)
                if (b->jobs[i].r < 0)
                        return b->jobs[i].r;
        for (unsigned i = 0; i < b->n_workers && r >= 0; i++) {
                struct worker *w = &b->workers[i];

                /* a thread that started too late to take a job wrote nothing */
                if (w->bpf.size == 0)
                        continue;
                r = seccomp_export_sink_map(&w->bpf, &w->bpf_data);
                if (r >= 0 && b->with_pfc)
                        r = seccomp_export_sink_map(&w->pfc, &w->pfc_data);
        }
        return r;
}

static int link_jobs(const struct program_build *b, struct seccomp_program *ret)
{
        const struct sock_filter *progs[SECCOMP_PROGRAM_MAX_ARCHES];
        const char *texts[SECCOMP_PROGRAM_MAX_ARCHES];
        size_t lens[SECCOMP_PROGRAM_MAX_ARCHES], sizes[SECCOMP_PROGRAM_MAX_ARCHES];
        struct seccomp_program p = {0};
        struct sock_filter *linked = NULL;
        size_t n_insns;
        int r;

        for (size_t i = 0; i < b->n_jobs; i++) {
                const struct arch_job *job = &b->jobs[i];
                const struct worker *w = &b->workers[job->worker];

                /* the mapping is page-aligned and every program's size a
                 * multiple of sock_filter: aligned */
                progs[i] = (const struct sock_filter *)(void *)(w->bpf_data + job->bpf_at);
                lens[i] = job->bpf_size / sizeof(struct sock_filter);
                texts[i] = w->pfc_data ? w->pfc_data + job->pfc_at : NULL;
                sizes[i] = job->pfc_size;
        }
        r = seccomp_program_link(progs, lens, b->n_jobs, SECCOMP_LINK_MARKER,
                                 seccomp_action_to_scmp(b->rs->badarch_action), &linked, &n_insns);
        if (r < 0)
                return r;
        p.bpf = (char *)linked;
        p.bpf_size = n_insns * sizeof(struct sock_filter);
        if (b->with_pfc) {
                r = seccomp_pfc_join(texts, sizes, b->n_jobs, &p.pfc, &p.pfc_size);
                if (r < 0) {
                        seccomp_program_done(&p);
                        return r;
                }
        }
        *ret = p;
        return 0;
}

int seccomp_program_build(const struct seccomp_ruleset *rs, enum seccomp_target target,
                          bool with_pfc, unsigned threads, struct seccomp_error *err,
                          struct seccomp_program *ret)
{
        size_t n_arch;
        const struct seccomp_arch *all = seccomp_arch_all(&n_arch);
        _cleanup_free_ struct program_build *b = NULL;
        unsigned arches;
        int r;

        r = seccomp_filter_arches(rs, target, err, &arches);
        if (r < 0)
                return r;
        b = calloc(1, sizeof(*b));
        if (!b)
                return -ENOMEM;
        b->rs = rs;
        b->target = target;
        b->with_pfc = with_pfc;
        atomic_init(&b->next, 0);
        atomic_init(&b->failed, false);
        for (size_t i = 0; i < n_arch && b->n_jobs < SECCOMP_PROGRAM_MAX_ARCHES; i++)
                if (arches & all[i].bit)
                        b->jobs[b->n_jobs++] = (struct arch_job){.arch = &all[i]};
        r = run(b, threads);
        if (r >= 0)
                r = link_jobs(b, ret);
        /* The first failed architecture that says why. */
        for (size_t i = 0; err && i < b->n_jobs; i++)
                if (b->jobs[i].r < 0 && b->jobs[i].err.text[0]) {
                        *err = b->jobs[i].err;
                        break;
                }
        for (unsigned i = 0; i < b->n_workers; i++)
                worker_done(&b->workers[i]);
        return r;
}

unsigned seccomp_build_threads(void)
{
        cpu_set_t set;
        int n;

        if (sched_getaffinity(0, sizeof(set), &set) < 0)
                return 1;
        n = CPU_COUNT(&set);
        return n > 0 ? (unsigned)n : 1;
}
