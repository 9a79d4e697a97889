/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/macro.h"
#include "observations.h"
#include "syscall-lookup.h"

#define SERVICE_MEMO 8u

struct observations {
        size_t max_keys;
        struct observation **table; /* open addressing; NULL = empty */
        size_t capacity;            /* power of two */
        struct observation **all;   /* insertion order, for listing */
        size_t n, n_allocated;
        struct service_counts *services;
        size_t n_services;
        /* The service strings last asked for by observations_add() (the
         * callers', from the policies: a few pointers over and over), with
         * where their counters are and their hash. A pointer is only a
         * hint: an entry is used only while the same kept name is still at
         * that index (observations_services() sorts them) and still has the
         * caller's bytes, so a string changed, or freed and another put at
         * its address, is never taken for another. */
        struct service_memo {
                bool used;
                const char *name; /* the caller's; NULL: the unattributed */
                const char *kept; /* services[index].service when remembered */
                size_t index;
                uint64_t hash; /* service_hash(kept) */
        } memo[SERVICE_MEMO];
        size_t memo_next; /* replaced next */
        uint64_t over_cap;
        size_t memory;
        bool sorted;
};

/* The key of an event, before it becomes an observation. Strings are
 * borrowed from the event. */
struct key {
        const char *service;
        uint64_t service_hash; /* service_hash(service) */
        enum event_kind kind;
        unsigned verdict;
        bool runtime;
        uint32_t arch;
        int64_t syscall;
        uint16_t data;
        const char *operation;
        enum observation_object object_kind;
        const char *object;
        const char *mask;
        char network[96];
};

const char *observation_object_to_string(enum observation_object k)
{
        static const char *const names[] = {
            [OBJECT_NONE] = "none",       [OBJECT_SYSCALL] = "syscall",
            [OBJECT_PATH] = "path",       [OBJECT_CAPABILITY] = "capability",
            [OBJECT_NETWORK] = "network", [OBJECT_PEER] = "peer",
            [OBJECT_PROFILE] = "profile", [OBJECT_SIGNAL] = "signal",
        };
        return (size_t)k < ELEMENTSOF(names) ? names[k] : "?";
}

static void apparmor_object(const struct apparmor_event *a, struct key *k)
{
        if (a->verdict == APPARMOR_STATUS) {
                k->object_kind = OBJECT_PROFILE;
                k->object = a->name;
        } else if (a->capname || (a->operation && strcmp(a->operation, "capable") == 0)) {
                k->object_kind = OBJECT_CAPABILITY;
                k->object = a->capname;
                if (!k->object && a->capability >= 0) {
                        snprintf(k->network, sizeof(k->network), "cap_%d", a->capability);
                        k->object = k->network;
                }
        } else if (a->family) {
                k->object_kind = OBJECT_NETWORK;
                snprintf(k->network, sizeof(k->network), "%s%s%s%s%s", a->family,
                         a->sock_type ? " " : "", a->sock_type ? a->sock_type : "",
                         a->protocol ? " " : "", a->protocol ? a->protocol : "");
                k->object = k->network;
        } else if (a->name) {
                k->object_kind = OBJECT_PATH;
                k->object = a->name;
        } else if (a->peer) {
                k->object_kind = OBJECT_PEER;
                k->object = a->peer;
        }
        k->operation = a->operation;
        k->mask = a->denied ? a->denied : a->requested;
}

static void key_of(const struct audit_event *e, const char *service, struct key *k)
{
        memset(k, 0, offsetof(struct key, network));
        k->network[0] = '\0';
        k->service = service;
        k->kind = e->kind;
        k->runtime = event_from_runtime(e);
        switch (e->kind) {
        case EVENT_SECCOMP:
                k->verdict = e->seccomp.verdict;
                k->arch = e->seccomp.arch;
                k->syscall = e->seccomp.syscall;
                k->data = e->seccomp.verdict == SECCOMP_EVENT_ERRNO ? e->seccomp.data : 0;
                k->object_kind = OBJECT_SYSCALL;
                break;
        case EVENT_APPARMOR:
                k->verdict = e->apparmor.verdict;
                apparmor_object(&e->apparmor, k);
                break;
        case EVENT_ABEND:
                k->object_kind = OBJECT_SIGNAL;
                k->data = (uint16_t)e->abend.sig;
                break;
        case _EVENT_KIND_MAX:
        default:
                break;
        }
}

/* A multiply-xorshift mix, eight bytes at a time: the key's strings are
 * paths and names of a few dozen bytes, hashed for every event. */
static uint64_t mix(uint64_t h, uint64_t v)
{
        h ^= v;
        h *= 0x9e3779b97f4a7c15ull;
        return h ^ (h >> 29);
}

/* Bytes i..n-1 of s (fewer than eight) as a word, s[i] lowest, as memcpy
 * would load them: one load that ends at s + n where s has eight bytes,
 * no call for a copy of variable size. */
static inline uint64_t tail_word(const char *s, size_t i, size_t n)
{
        uint64_t w = 0;

        if (i == n)
                return 0;
        if (n >= 8) {
                memcpy(&w, s + n - 8, 8);
                return w >> (8 * (8 - (n - i)));
        }
        for (size_t k = i; k < n; k++)
                w |= (uint64_t)(unsigned char)s[k] << (8 * (k - i));
        return w;
}

static uint64_t hash_bytes(uint64_t h, const char *s, size_t n)
{
        size_t i;
        uint64_t w;

        for (i = 0; i + 8 <= n; i += 8) {
                memcpy(&w, s + i, 8);
                h = mix(h, w);
        }
        return mix(h, tail_word(s, i, n) ^ ((uint64_t)n << 56));
}

/* A key keeps its strings cut (dup_cut): a longer string must hash as its
 * cut copy does, or its events would never find the key. */
static __attribute__((noinline)) uint64_t hash_cut(uint64_t h, const char *s)
{
        char cut[OBSERVATION_STRING_MAX + 1];

        memcpy(cut, s, OBSERVATION_STRING_MAX - 3);
        memcpy(cut + OBSERVATION_STRING_MAX - 3, "...", 4);
        return hash_bytes(h, cut, OBSERVATION_STRING_MAX);
}

static uint64_t hash_str(uint64_t h, const char *s)
{
        size_t n;

        if (!s)
                return mix(h, 0xff);
        n = strlen(s);
        if (n > OBSERVATION_STRING_MAX)
                return hash_cut(h, s);
        return hash_bytes(h, s, n);
}

/* Hashed on its own, so that the hash can be remembered per service. */
static uint64_t service_hash(const char *service)
{
        return hash_str(0x84222325cbf29ce4ull, service);
}

static uint64_t key_hash(const struct key *k)
{
        uint64_t h = 0xcbf29ce484222325ull;

        h = mix(h, (uint64_t)k->runtime << 48 | (uint64_t)k->kind << 32 | k->verdict);
        h = mix(h, (uint64_t)k->arch << 32 | (uint64_t)k->object_kind << 16 | k->data);
        h = mix(h, (uint64_t)k->syscall);
        h = mix(h, k->service_hash);
        h = hash_str(h, k->operation);
        h = hash_str(h, k->object);
        return hash_str(h, k->mask);
}

static bool str_eq(const char *a, const char *b)
{
        return a == b || (a && b && strcmp(a, b) == 0);
}

/* Strings are kept cut at OBSERVATION_STRING_MAX: compare the same way.
 * Called for every service and key looked at, so the common answers come
 * first: a different first byte, then the same string (a kept string is
 * never longer than the cut, so s then is not either); only a string that
 * differs is measured, to see whether it was cut. */
static inline bool str_eq_cut(const char *kept, const char *s)
{
        if (!kept || !s)
                return kept == s;
        if (kept[0] != s[0])
                return false;
        if (strcmp(kept, s) == 0)
                return true;
        if (strlen(s) <= OBSERVATION_STRING_MAX)
                return false;
        return strncmp(kept, s, OBSERVATION_STRING_MAX - 3) == 0 &&
               strcmp(kept + OBSERVATION_STRING_MAX - 3, "...") == 0;
}

static inline bool key_equal(const struct observation *o, const struct key *k)
{
        return o->kind == k->kind && o->verdict == k->verdict && o->runtime == k->runtime &&
               o->arch == k->arch && o->syscall == k->syscall && o->data == k->data &&
               o->object_kind == k->object_kind && str_eq_cut(o->service, k->service) &&
               str_eq_cut(o->operation, k->operation) && str_eq_cut(o->object, k->object) &&
               str_eq_cut(o->mask, k->mask);
}

int observations_new(size_t max_keys, struct observations **ret)
{
        _cleanup_free_ struct observations *o = calloc(1, sizeof(*o));

        if (!o)
                return -ENOMEM;
        o->max_keys = max_keys ? max_keys : OBSERVATIONS_DEFAULT_MAX_KEYS;
        o->capacity = 64;
        o->table = calloc(o->capacity, sizeof(*o->table));
        if (!o->table)
                return -ENOMEM;
        o->memory = sizeof(*o) + o->capacity * sizeof(*o->table);
        *ret = TAKE_PTR(o);
        return 0;
}

static void observation_free(struct observation *ob)
{
        if (!ob)
                return;
        free(ob->service);
        free(ob->operation);
        free(ob->object);
        free(ob->mask);
        free(ob->example_comm);
        free(ob->example_exe);
        for (size_t i = 0; i < ob->n_workloads; i++)
                free(ob->workloads[i]);
        free(ob);
}

struct observations *observations_free(struct observations *o)
{
        if (!o)
                return NULL;
        for (size_t i = 0; i < o->n; i++)
                observation_free(o->all[i]);
        for (size_t i = 0; i < o->n_services; i++)
                free(o->services[i].service);
        free(o->services);
        free(o->all);
        free(o->table);
        free(o);
        return NULL;
}

/* A copy cut at OBSERVATION_STRING_MAX; *size grows by what it holds. */
static int dup_cut(const char *s, char **ret, size_t *size)
{
        size_t n;
        char *c;

        if (!s) {
                *ret = NULL;
                return 0;
        }
        n = strnlen(s, OBSERVATION_STRING_MAX + 1);
        if (n > OBSERVATION_STRING_MAX) {
                c = malloc(OBSERVATION_STRING_MAX + 1);
                if (!c)
                        return -ENOMEM;
                memcpy(c, s, OBSERVATION_STRING_MAX - 3);
                memcpy(c + OBSERVATION_STRING_MAX - 3, "...", 4);
                n = OBSERVATION_STRING_MAX;
        } else if (!(c = strdup(s)))
                return -ENOMEM;
        *size += n + 1;
        *ret = c;
        return 0;
}

/* The name is kept cut at OBSERVATION_STRING_MAX, like the keys' copy of
 * it, and compared the same way: one entry per service however long. */
static struct service_counts *service_get(struct observations *o, const char *service)
{
        struct service_counts *s;

        for (size_t i = 0; i < o->n_services; i++)
                if (str_eq_cut(o->services[i].service, service))
                        return &o->services[i];
        s = realloc(o->services, (o->n_services + 1) * sizeof(*s));
        if (!s)
                return NULL;
        o->services = s;
        s = &o->services[o->n_services];
        *s = (struct service_counts){0};
        if (dup_cut(service, &s->service, &o->memory) < 0)
                return NULL;
        o->n_services++;
        o->memory += sizeof(*s);
        return s;
}

/* service_get() through the memo, with the service's hash. */
static struct service_counts *service_find(struct observations *o, const char *service,
                                           uint64_t *ret_hash)
{
        struct service_memo *m;
        struct service_counts *sc;

        /* A handful of services: all entries are looked at. */
        for (size_t i = 0; i < SERVICE_MEMO; i++) {
                m = &o->memo[i];
                if (m->used && m->name == service && m->index < o->n_services &&
                    o->services[m->index].service == m->kept && str_eq_cut(m->kept, service)) {
                        *ret_hash = m->hash;
                        return &o->services[m->index];
                }
        }
        sc = service_get(o, service);
        if (!sc)
                return NULL;
        m = &o->memo[o->memo_next];
        o->memo_next = (o->memo_next + 1) % SERVICE_MEMO;
        *m = (struct service_memo){
            .used = true,
            .name = service,
            .kept = sc->service,
            .index = (size_t)(sc - o->services),
            .hash = service_hash(sc->service),
        };
        *ret_hash = m->hash;
        return sc;
}

static struct observation **table_slot(struct observation **table, size_t capacity, uint64_t h,
                                       const struct key *k)
{
        size_t i = h & (capacity - 1);

        for (;; i = (i + 1) & (capacity - 1))
                if (!table[i] || (k && key_equal(table[i], k)))
                        return &table[i];
}

/* The key an existing observation is filed under. */
static struct key key_of_observation(const struct observation *ob)
{
        return (struct key){
            .service = ob->service,
            .service_hash = service_hash(ob->service),
            .kind = ob->kind,
            .verdict = ob->verdict,
            .runtime = ob->runtime,
            .arch = ob->arch,
            .syscall = ob->syscall,
            .data = ob->data,
            .operation = ob->operation,
            .object_kind = ob->object_kind,
            .object = ob->object,
            .mask = ob->mask,
        };
}

/* Hash of an existing observation, for rehashing: its own key. */
static uint64_t observation_hash(const struct observation *ob)
{
        struct key k = key_of_observation(ob);

        return key_hash(&k);
}

static int grow(struct observations *o)
{
        size_t cap = o->capacity * 2;
        struct observation **t = calloc(cap, sizeof(*t));

        if (!t)
                return -ENOMEM;
        for (size_t i = 0; i < o->n; i++)
                *table_slot(t, cap, observation_hash(o->all[i]), NULL) = o->all[i];
        free(o->table);
        o->memory += (cap - o->capacity) * sizeof(*t);
        o->table = t;
        o->capacity = cap;
        return 0;
}

static int observation_new(struct observations *o, const struct key *k, struct observation **ret)
{
        _cleanup_free_ struct observation *ob = calloc(1, sizeof(*ob));
        struct observation **all;
        size_t size = sizeof(*ob) + sizeof(ob);

        if (!ob)
                return -ENOMEM;
        ob->kind = k->kind;
        ob->verdict = k->verdict;
        ob->runtime = k->runtime;
        ob->arch = k->arch;
        ob->syscall = k->syscall;
        ob->data = k->data;
        ob->object_kind = k->object_kind;
        if (dup_cut(k->service, &ob->service, &size) < 0 ||
            dup_cut(k->operation, &ob->operation, &size) < 0 ||
            dup_cut(k->object, &ob->object, &size) < 0 || dup_cut(k->mask, &ob->mask, &size) < 0) {
                observation_free(TAKE_PTR(ob));
                return -ENOMEM;
        }
        if (o->n == o->n_allocated) {
                /* Doubling: a restore of 100k keys must not copy the list 100k times. */
                size_t want = o->n_allocated ? 2 * o->n_allocated : 64;

                all = realloc(o->all, want * sizeof(*all));
                if (!all) {
                        observation_free(TAKE_PTR(ob));
                        return -ENOMEM;
                }
                o->all = all;
                o->n_allocated = want;
        }
        o->all[o->n++] = ob;
        o->memory += size;
        *ret = TAKE_PTR(ob);
        return 0;
}

static int add_workload(struct observations *o, struct observation *ob, const char *workload)
{
        if (!workload)
                return 0;
        for (size_t i = 0; i < ob->n_workloads; i++)
                if (str_eq_cut(ob->workloads[i], workload))
                        return 0;
        if (ob->n_workloads == OBSERVATION_WORKLOADS_MAX) {
                ob->more_workloads++;
                return 0;
        }
        /* Counted only once copied: no NULL slot after -ENOMEM. */
        if (dup_cut(workload, &ob->workloads[ob->n_workloads], &o->memory) < 0)
                return -ENOMEM;
        ob->n_workloads++;
        return 0;
}

/* Saturated at INT64_MAX: a stamp is whatever the record says, and a
 * time past the year 294246 is as wrong as INT64_MAX while staying in the
 * range the observations file (and every CLOCK_REALTIME µs) uses. */
static uint64_t event_usec(const struct audit_event *e)
{
        const uint64_t max_sec = (uint64_t)INT64_MAX / 1000000u - 1;

        if (e->stamp.sec > max_sec)
                return (uint64_t)INT64_MAX;
        return e->stamp.sec * 1000000u + (uint64_t)(e->stamp.msec % 1000u) * 1000u;
}

static struct observation *lookup(struct observations *o, const struct key *k,
                                  struct observation ***ret_slot)
{
        struct observation **slot = table_slot(o->table, o->capacity, key_hash(k), k);

        *ret_slot = slot;
        return *slot;
}

/* A key lookup did not find, at *slot: inserted (count 0, no example
 * yet), or, with o at its cap, its events counted over the cap. Returns 0
 * with *ret, 1 (over the cap), or -ENOMEM. */
static int insert(struct observations *o, struct service_counts *sc, const struct key *k,
                  struct observation **slot, uint64_t events, struct observation **ret)
{
        struct observation *ob;
        int r;

        if (o->n >= o->max_keys) {
                sc->over_cap += events;
                o->over_cap += events;
                return 1;
        }
        if ((o->n + 1) * 2 > o->capacity) {
                r = grow(o);
                if (r < 0)
                        return r;
                slot = table_slot(o->table, o->capacity, key_hash(k), k);
        }
        r = observation_new(o, k, &ob);
        if (r < 0)
                return r;
        *slot = ob;
        sc->keys++;
        o->sorted = false;
        *ret = ob;
        return 0;
}

int observations_add(struct observations *o, const struct audit_event *e, const char *service,
                     const char *workload)
{
        uint64_t h_service = 0;
        struct service_counts *sc = service_find(o, service, &h_service);
        struct observation **slot, *ob;
        struct key k;
        uint64_t when = event_usec(e);
        bool denial = audit_event_is_denial(e);
        int r;

        if (!sc)
                return -ENOMEM;
        sc->events++;
        if (denial) {
                sc->denials++;
                if (when > sc->last_denial_usec)
                        sc->last_denial_usec = when;
        }
        timeline_add(&sc->timeline, when, denial);
        key_of(e, service, &k);
        k.service_hash = h_service;
        ob = lookup(o, &k, &slot);
        if (!ob) {
                r = insert(o, sc, &k, slot, 1, &ob);
                if (r != 0)
                        return r;
                /* Counted before the example is copied: a key that exists
                 * has count >= 1 and first <= last even when that copy
                 * fails (the saved file relies on it). */
                ob->count = 1;
                ob->first_usec = ob->last_usec = when;
                ob->example_pid = e->pid;
                if (e->kind == EVENT_SECCOMP)
                        ob->syscall_name = e->seccomp.syscall_name;
                if (dup_cut(e->comm, &ob->example_comm, &o->memory) < 0 ||
                    dup_cut(e->exe, &ob->example_exe, &o->memory) < 0)
                        return -ENOMEM;
                return add_workload(o, ob, workload);
        }
        ob->count++;
        if (when < ob->first_usec)
                ob->first_usec = when;
        if (when > ob->last_usec)
                ob->last_usec = when;
        o->sorted = false;
        return add_workload(o, ob, workload);
}

int observations_mark_killed(struct observations *o, const char *service,
                             const struct seccomp_event *s)
{
        struct observation **slot, *ob;
        struct key k = {
            .service = service,
            .service_hash = service_hash(service),
            .kind = EVENT_SECCOMP,
            .verdict = s->verdict,
            .arch = s->arch,
            .syscall = s->syscall,
            .data = s->verdict == SECCOMP_EVENT_ERRNO ? s->data : 0,
            .object_kind = OBJECT_SYSCALL,
        };

        ob = lookup(o, &k, &slot);
        if (!ob) {
                /* The ABEND carries no comm to tell: the runtime's key then. */
                k.runtime = true;
                ob = lookup(o, &k, &slot);
        }
        if (!ob)
                return -ENOENT;
        ob->killed++;
        return 0;
}

/* Asked for every event: the first byte rules out nearly every string
 * before a string function is called. */
static bool starts_with(const char *s, const char *prefix, size_t n)
{
        return s && s[0] == prefix[0] && s[1] == prefix[1] && strncmp(s, prefix, n) == 0;
}

bool event_from_runtime(const struct audit_event *e)
{
        static const char *const runtimes[] = {"runc", "crun", "youki", "runsc"};
        const char *base;

        if (e->kind == EVENT_ABEND)
                return false;
        /* runc's init names itself so; it runs from a memfd copy of runc. */
        if (starts_with(e->comm, "runc:[", 6) || starts_with(e->exe, "/memfd:runc", 11))
                return true;
        if (!e->exe)
                return false;
        base = strrchr(e->exe, '/');
        base = base ? base + 1 : e->exe;
        for (size_t i = 0; i < ELEMENTSOF(runtimes); i++)
                if (base[0] == runtimes[i][0] && strcmp(base, runtimes[i]) == 0)
                        return true;
        return false;
}

static int cmp_str_last_null(const char *a, const char *b)
{
        if (!a || !b)
                return (a == NULL) - (b == NULL);
        return strcmp(a, b);
}

static int cmp_observation(const void *x, const void *y)
{
        const struct observation *a = *(const struct observation *const *)x;
        const struct observation *b = *(const struct observation *const *)y;
        int c = cmp_str_last_null(a->service, b->service);

        if (c != 0)
                return c;
        if (a->kind != b->kind)
                return a->kind < b->kind ? -1 : 1;
        if (a->count != b->count)
                return a->count > b->count ? -1 : 1;
        if (a->first_usec != b->first_usec)
                return a->first_usec < b->first_usec ? -1 : 1;
        return 0;
}

static int cmp_services(const void *x, const void *y)
{
        const struct service_counts *a = x, *b = y;

        return cmp_str_last_null(a->service, b->service);
}

int observations_list(struct observations *o, const struct observation ***ret, size_t *ret_n)
{
        if (!o->sorted) {
                /* The table holds pointers into all[]: sorting all[] moves
                 * nothing the table refers to. */
                if (o->n > 1)
                        qsort(o->all, o->n, sizeof(*o->all), cmp_observation);
                o->sorted = true;
        }
        *ret = (const struct observation **)o->all;
        *ret_n = o->n;
        return 0;
}

const struct service_counts *observations_services(const struct observations *o, size_t *ret_n)
{
        if (o->n_services > 1)
                qsort(o->services, o->n_services, sizeof(*o->services), cmp_services);
        *ret_n = o->n_services;
        return o->services;
}

uint64_t observations_over_cap(const struct observations *o)
{
        return o->over_cap;
}

size_t observations_keys(const struct observations *o)
{
        return o->n;
}

size_t observations_memory(const struct observations *o)
{
        return o->memory;
}

const struct observation *const *observations_all(const struct observations *o, size_t *ret_n)
{
        *ret_n = o->n;
        return (const struct observation *const *)o->all;
}

bool observation_is_denial(const struct observation *ob)
{
        return event_verdict_is_denial(ob->kind, ob->verdict);
}

int observations_last_denial(const struct observations *o, const char *service, uint64_t since_usec,
                             uint64_t *ret_last_usec, uint64_t *ret_keys_since)
{
        const struct service_counts *sc = NULL;
        uint64_t keys = 0;

        for (size_t i = 0; i < o->n_services; i++)
                if (str_eq_cut(o->services[i].service, service)) {
                        sc = &o->services[i];
                        break;
                }
        if (!sc || sc->denials == 0) {
                *ret_last_usec = 0;
                *ret_keys_since = 0;
                return 0;
        }
        for (size_t i = 0; i < o->n; i++) {
                const struct observation *ob = o->all[i];

                if (ob->last_usec >= since_usec && observation_is_denial(ob) &&
                    str_eq(ob->service, sc->service))
                        keys++;
        }
        *ret_last_usec = sc->last_denial_usec;
        *ret_keys_since = keys;
        return 1;
}

int observations_restore_service(struct observations *o, const struct service_counts *sc)
{
        struct service_counts *s = service_get(o, sc->service);

        if (!s)
                return -ENOMEM;
        s->events += sc->events;
        s->denials += sc->denials;
        s->over_cap += sc->over_cap;
        o->over_cap += sc->over_cap;
        if (sc->last_denial_usec > s->last_denial_usec)
                s->last_denial_usec = sc->last_denial_usec;
        return 0;
}

static bool restorable_string(const char *s)
{
        return !s || strnlen(s, OBSERVATION_STRING_MAX + 1) <= OBSERVATION_STRING_MAX;
}

const char *observation_check(const struct observation *ob)
{
        bool no_strings = !ob->operation && !ob->object && !ob->mask;

        switch (ob->kind) {
        case EVENT_SECCOMP:
                if (ob->verdict >= _SECCOMP_EVENT_VERDICT_MAX)
                        return "verdict out of range";
                if (ob->object_kind != OBJECT_SYSCALL || !no_strings)
                        return "a seccomp key has only a syscall as its object";
                if (ob->data != 0 && ob->verdict != SECCOMP_EVENT_ERRNO)
                        return "an errno on a verdict other than ERRNO";
                break;
        case EVENT_APPARMOR:
                if (ob->verdict >= _APPARMOR_VERDICT_MAX)
                        return "verdict out of range";
                if (ob->arch != 0 || ob->syscall != 0 || ob->data != 0)
                        return "an AppArmor key has no arch, syscall or errno";
                if (ob->object_kind == OBJECT_SYSCALL || ob->object_kind == OBJECT_SIGNAL ||
                    (unsigned)ob->object_kind > OBJECT_SIGNAL)
                        return "object_kind does not fit an AppArmor key";
                if (ob->object_kind == OBJECT_NONE && ob->object)
                        return "an object with object_kind none";
                break;
        case EVENT_ABEND:
                if (ob->verdict != 0 || ob->arch != 0 || ob->syscall != 0 ||
                    ob->object_kind != OBJECT_SIGNAL || !no_strings)
                        return "an abend key has only a signal";
                break;
        case _EVENT_KIND_MAX:
        default:
                return "kind out of range";
        }
        if (ob->count == 0)
                return "count is 0";
        if (ob->first_usec > ob->last_usec)
                return "first is after last";
        if (!restorable_string(ob->service) || !restorable_string(ob->operation) ||
            !restorable_string(ob->object) || !restorable_string(ob->mask) ||
            !restorable_string(ob->example_comm) || !restorable_string(ob->example_exe))
                return "a string is longer than OBSERVATION_STRING_MAX";
        if (ob->n_workloads > OBSERVATION_WORKLOADS_MAX)
                return "more than OBSERVATION_WORKLOADS_MAX workloads";
        if (ob->more_workloads > 0 && ob->n_workloads < OBSERVATION_WORKLOADS_MAX)
                return "events of further workloads while there was room for them";
        for (size_t i = 0; i < ob->n_workloads; i++) {
                if (!ob->workloads[i] || !restorable_string(ob->workloads[i]))
                        return "a workload is missing or longer than OBSERVATION_STRING_MAX";
                for (size_t j = 0; j < i; j++)
                        if (strcmp(ob->workloads[j], ob->workloads[i]) == 0)
                                return "a workload is listed twice";
        }
        return NULL;
}

int observations_restore(struct observations *o, const struct observation *ob)
{
        struct observation **slot, *n;
        struct service_counts *sc;
        struct key k = key_of_observation(ob);
        int r;

        if (observation_check(ob))
                return -EINVAL;
        sc = service_get(o, ob->service);
        if (!sc)
                return -ENOMEM;
        if (lookup(o, &k, &slot))
                return -EEXIST;
        r = insert(o, sc, &k, slot, ob->count, &n);
        if (r != 0)
                return r;
        n->count = ob->count;
        n->killed = ob->killed;
        n->first_usec = ob->first_usec;
        n->last_usec = ob->last_usec;
        n->example_pid = ob->example_pid;
        n->more_workloads = ob->more_workloads;
        if (n->kind == EVENT_SECCOMP)
                n->syscall_name = syscall_lookup(n->arch, n->syscall);
        if (dup_cut(ob->example_comm, &n->example_comm, &o->memory) < 0 ||
            dup_cut(ob->example_exe, &n->example_exe, &o->memory) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < ob->n_workloads; i++) {
                r = dup_cut(ob->workloads[i], &n->workloads[i], &o->memory);
                if (r < 0)
                        return r;
                n->n_workloads = i + 1;
        }
        return 0;
}
