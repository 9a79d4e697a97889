/* SPDX-License-Identifier: MIT */
/* Workload identity: every cgroup path pattern (table-driven, v1 and v2
 * files), the OCI runtime state and bundle config parsers, engine names,
 * and the lookup under a fixture root (what is trusted and what is not). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/macro.h"
#include "posture/cgroup-identity.h"
#include "posture/engine-names.h"
#include "posture/oci-state.h"
#include "posture-fixture.h"
#include "testing.h"

#define ID64 "4f797c539e6c745de61a93ca3ff892358ecbcaccd8414d5db545c38428142970"
#define UID_ "0c2b9d8f_1a2b_4c3d_8e9f_0a1b2c3d4e5f"
#define UID  "0c2b9d8f-1a2b-4c3d-8e9f-0a1b2c3d4e5f"

static const struct {
        const char *path;
        enum cgroup_role role;
        enum workload_runtime runtime;
        const char *id, *pod_uid, *qos, *unit;
        bool delegated;
} paths[] = {
    /* docker: cgroupfs and systemd drivers, docker-in-docker (outermost wins) */
    {"/docker/" ID64, CGROUP_ROLE_CONTAINER, RUNTIME_DOCKER, ID64, "", "", "", false},
    {"/system.slice/docker-" ID64 ".scope", CGROUP_ROLE_CONTAINER, RUNTIME_DOCKER, ID64, "", "", "",
     false},
    {"/docker/" ID64 "/docker/0000000000000000000000000000000000000000000000000000000000000000",
     CGROUP_ROLE_CONTAINER, RUNTIME_DOCKER, ID64, "", "", "", false},
    /* containerd CRI: systemd scope, and the cgroupfs form of a systemd path */
    {"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" UID_
     ".slice/cri-containerd-" ID64 ".scope",
     CGROUP_ROLE_CONTAINER, RUNTIME_CONTAINERD, ID64, UID, "burstable", "", false},
    {"/kubepods-besteffort-pod" UID_ ".slice:cri-containerd:" ID64, CGROUP_ROLE_CONTAINER,
     RUNTIME_CONTAINERD, ID64, UID, "besteffort", "", false},
    {"/kubepods.slice/kubepods-pod" UID_ ".slice/cri-containerd-" ID64 ".scope",
     CGROUP_ROLE_CONTAINER, RUNTIME_CONTAINERD, ID64, UID, "guaranteed", "", false},
    /* kubepods cgroupfs: the path does not name the runtime */
    {"/kubepods/burstable/pod" UID "/" ID64, CGROUP_ROLE_CONTAINER, RUNTIME_CRI, ID64, UID,
     "burstable", "", false},
    {"/kubepods/pod" UID "/" ID64, CGROUP_ROLE_CONTAINER, RUNTIME_CRI, ID64, UID, "guaranteed", "",
     false},
    /* static pods have a 32-hex-digit UID */
    {"/kubepods/besteffort/pod0123456789abcdef0123456789abcdef/" ID64, CGROUP_ROLE_CONTAINER,
     RUNTIME_CRI, ID64, "0123456789abcdef0123456789abcdef", "besteffort", "", false},
    /* CRI-O, and its conmon (a monitor, not the workload) */
    {"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_ ".slice/crio-" ID64
     ".scope",
     CGROUP_ROLE_CONTAINER, RUNTIME_CRIO, ID64, UID, "besteffort", "", false},
    {"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" UID_
     ".slice/crio-conmon-" ID64 ".scope",
     CGROUP_ROLE_MONITOR, RUNTIME_CRIO, ID64, UID, "besteffort", "", false},
    {"/kubepods/besteffort/pod" UID "/crio-" ID64, CGROUP_ROLE_CONTAINER, RUNTIME_CRIO, ID64, UID,
     "besteffort", "", false},
    {"/kubepods/besteffort/pod" UID "/crio-conmon-" ID64, CGROUP_ROLE_MONITOR, RUNTIME_CRIO, ID64,
     UID, "besteffort", "", false},
    /* podman: cgroupfs, systemd, pods, rootless; conmon in both layouts */
    {"/libpod_parent/libpod-" ID64, CGROUP_ROLE_CONTAINER, RUNTIME_PODMAN, ID64, "", "", "", false},
    {"/machine.slice/libpod-" ID64 ".scope", CGROUP_ROLE_CONTAINER, RUNTIME_PODMAN, ID64, "", "",
     "", false},
    {"/machine.slice/libpod-" ID64 ".scope/container", CGROUP_ROLE_CONTAINER, RUNTIME_PODMAN, ID64,
     "", "", "", false},
    {"/machine.slice/machine-libpod_pod_1234.slice/libpod-" ID64 ".scope", CGROUP_ROLE_CONTAINER,
     RUNTIME_PODMAN, ID64, "", "", "", false},
    {"/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" ID64 ".scope",
     CGROUP_ROLE_CONTAINER, RUNTIME_PODMAN, ID64, "", "", "", true},
    {"/libpod_parent/conmon", CGROUP_ROLE_MONITOR, RUNTIME_PODMAN, "", "", "", "", false},
    {"/machine.slice/libpod-conmon-" ID64 ".scope", CGROUP_ROLE_MONITOR, RUNTIME_PODMAN, ID64, "",
     "", "", false},
    /* LXC 4+, LXC 3, and the LXC monitor */
    {"/lxc.payload.web01", CGROUP_ROLE_CONTAINER, RUNTIME_LXC, "web01", "", "", "", false},
    {"/lxc.payload.web01/init.scope", CGROUP_ROLE_CONTAINER, RUNTIME_LXC, "web01", "", "", "",
     false},
    {"/lxc/web01", CGROUP_ROLE_CONTAINER, RUNTIME_LXC, "web01", "", "", "", false},
    {"/lxc.monitor.web01", CGROUP_ROLE_MONITOR, RUNTIME_LXC, "web01", "", "", "", false},
    /* systemd-nspawn: payload, supervisor, machined scope (\x2d is '-') */
    {"/machine.slice/systemd-nspawn@build\\x2dbox.service/payload", CGROUP_ROLE_CONTAINER,
     RUNTIME_NSPAWN, "build-box", "", "", "", false},
    {"/machine.slice/systemd-nspawn@build\\x2dbox.service/supervisor", CGROUP_ROLE_MONITOR,
     RUNTIME_NSPAWN, "build-box", "", "", "", false},
    {"/machine.slice/machine-qemu\\x2d1\\x2dvm.scope", CGROUP_ROLE_CONTAINER, RUNTIME_NSPAWN,
     "qemu-1-vm", "", "", "", false},
    /* plain systemd units; the deepest unit; user sessions; a reader in a
     * cgroup namespace sees ".." */
    {"/system.slice/nginx.service", CGROUP_ROLE_HOST, RUNTIME_NONE, "", "", "", "nginx.service",
     false},
    {"/system.slice/system-worker.slice/worker@3.service", CGROUP_ROLE_HOST, RUNTIME_NONE, "", "",
     "", "worker@3.service", false},
    {"/system.slice/containerd.service/sub", CGROUP_ROLE_HOST, RUNTIME_NONE, "", "", "",
     "containerd.service", false},
    {"/init.scope", CGROUP_ROLE_HOST, RUNTIME_NONE, "", "", "", "init.scope", false},
    {"/user.slice/user-1000.slice/user@1000.service/app.slice/app-foo.scope", CGROUP_ROLE_HOST,
     RUNTIME_NONE, "", "", "", "app-foo.scope", true},
    {"/../../system.slice/sshd.service", CGROUP_ROLE_HOST, RUNTIME_NONE, "", "", "", "sshd.service",
     false},
    {"/", CGROUP_ROLE_HOST, RUNTIME_NONE, "", "", "", "", false},
    /* look-alikes are not containers (only units of that name) */
    {"/system.slice/docker-" ID64 "x.scope", CGROUP_ROLE_HOST, RUNTIME_NONE, "", "", "",
     "docker-" ID64 "x.scope", false},
    {"/system.slice/docker-4F797C539E6C745DE61A93CA3FF892358ECBCACCD8414D5DB545C38428142970.scope",
     CGROUP_ROLE_HOST, RUNTIME_NONE, "", "", "",
     "docker-4F797C539E6C745DE61A93CA3FF892358ECBCACCD8414D5DB545C38428142970.scope", false},
    {"/somewhere/" ID64, CGROUP_ROLE_HOST, RUNTIME_NONE, "", "", "", "", false},
    {"/kubepods-burstable-podnotauid.slice:cri-containerd:" ID64, CGROUP_ROLE_CONTAINER,
     RUNTIME_CONTAINERD, ID64, "", "", "", false},
    {"/lxc.payload.bad$name", CGROUP_ROLE_HOST, RUNTIME_NONE, "", "", "", "", false},
};

START_TEST(test_cgroup_paths)
{
        struct cgroup_identity id;
        const char *p = paths[_i].path;

        ck_assert_int_eq(cgroup_path_identify(p, strlen(p), &id), 0);
        ck_assert_msg(id.role == paths[_i].role, "%s: role %d", p, id.role);
        ck_assert_msg(id.runtime == paths[_i].runtime, "%s: runtime %d", p, id.runtime);
        ck_assert_str_eq(id.id, paths[_i].id);
        ck_assert_str_eq(id.pod_uid, paths[_i].pod_uid);
        ck_assert_str_eq(id.qos, paths[_i].qos);
        ck_assert_str_eq(id.unit, paths[_i].unit);
        ck_assert(id.delegated == paths[_i].delegated);
        if (id.delegated)
                ck_assert_uint_eq(id.delegated_uid, 1000);
}
END_TEST

static const struct {
        const char *path;
} bad_paths[] = {{"relative"}, {"//double"}, {"/a//b"}, {""}};

START_TEST(test_cgroup_bad_paths)
{
        struct cgroup_identity id;

        ck_assert_int_eq(cgroup_path_identify(bad_paths[_i].path, strlen(bad_paths[_i].path), &id),
                         -EINVAL);
}
END_TEST

/* Whole files: v2, v1, hybrid; which line decides. */
static const struct {
        const char *file;
        int ret;
        enum cgroup_role role;
        enum workload_runtime runtime;
        const char *unit;
        unsigned version;
} files[] = {
    {"0::/system.slice/docker-" ID64 ".scope\n", 0, CGROUP_ROLE_CONTAINER, RUNTIME_DOCKER, "", 2},
    /* v1: the container shows in the controllers */
    {"12:pids:/docker/" ID64 "\n11:cpu,cpuacct:/docker/" ID64 "\n1:name=systemd:/docker/" ID64 "\n",
     0, CGROUP_ROLE_CONTAINER, RUNTIME_DOCKER, "", 1},
    /* hybrid podman conmon: only the v1 controllers name it */
    {"9:name=systemd:/\n8:pids:/libpod_parent/conmon\n4:memory:/libpod_parent/conmon\n0::/\n", 0,
     CGROUP_ROLE_MONITOR, RUNTIME_PODMAN, "", 1},
    /* hybrid host service: the v2 line names the unit */
    {"1:name=systemd:/system.slice/sshd.service\n0::/system.slice/sshd.service\n", 0,
     CGROUP_ROLE_HOST, RUNTIME_NONE, "sshd.service", 2},
    {"0::/\n", 0, CGROUP_ROLE_HOST, RUNTIME_NONE, "", 2},
    {"0::/system.slice/x.service", 0, CGROUP_ROLE_HOST, RUNTIME_NONE, "x.service", 2},
    {"garbage\n", -EINVAL, 0, 0, "", 0},
    {"0:/x\n", -EINVAL, 0, 0, "", 0},
    {"a::/x\n", -EINVAL, 0, 0, "", 0},
    {"0::x\n", -EINVAL, 0, 0, "", 0},
    {"", -EINVAL, 0, 0, "", 0},
};

START_TEST(test_cgroup_files)
{
        struct cgroup_identity id;
        int r = cgroup_file_identify(files[_i].file, strlen(files[_i].file), &id);

        ck_assert_int_eq(r, files[_i].ret);
        if (r < 0)
                return;
        ck_assert_int_eq(id.role, files[_i].role);
        ck_assert_int_eq(id.runtime, files[_i].runtime);
        ck_assert_str_eq(id.unit, files[_i].unit);
        ck_assert_uint_eq(id.version, files[_i].version);
}
END_TEST

START_TEST(test_cgroup_file_bounds)
{
        char *buf = malloc(CGROUP_FILE_MAX_LINES * 8 + 16);
        struct cgroup_identity id;
        size_t n = 0;

        for (unsigned i = 0; i <= CGROUP_FILE_MAX_LINES; i++)
                n += (size_t)sprintf(buf + n, "%u::/\n", i % 10);
        ck_assert_int_eq(cgroup_file_identify(buf, n, &id), -E2BIG);
        free(buf);
}
END_TEST

static const char runc_state[] =
    "{\"id\":\"" ID64 "\",\"init_process_pid\":4242,\"init_process_start\":90873,"
    "\"config\":{\"labels\":[\"io.container.manager=libpod\",\"bundle=/var/lib/b\","
    "\"empty=\",\"with=equals=inside\"]}}";

START_TEST(test_runc_state)
{
        struct oci_state s;

        ck_assert_int_eq(oci_runc_state_parse(runc_state, strlen(runc_state), &s), 0);
        ck_assert_str_eq(s.id, ID64);
        ck_assert_int_eq(s.init_pid, 4242);
        ck_assert_uint_eq(s.init_start, 90873);
        ck_assert_str_eq(s.bundle, "/var/lib/b");
        ck_assert_uint_eq(s.labels.n, 3);
        ck_assert_str_eq(oci_labels_get(&s.labels, "io.container.manager"), "libpod");
        ck_assert_str_eq(oci_labels_get(&s.labels, "empty"), "");
        ck_assert_str_eq(oci_labels_get(&s.labels, "with"), "equals=inside");
        ck_assert_ptr_null(oci_labels_get(&s.labels, "bundle"));
        oci_state_done(&s);
}
END_TEST

static const struct {
        const char *json;
} bad_states[] = {
    {"not json"},
    {"[]"},
    {"{\"init_process_pid\":1}"},              /* no id */
    {"{\"id\":\"x\",\"init_process_pid\":0}"}, /* pid 0 */
    {"{\"id\":\"x\",\"init_process_pid\":-5}"},
    {"{\"id\":\"x\",\"init_process_pid\":4294967296}"},
    {"{\"id\":\"x\",\"init_process_pid\":\"1\"}"}, /* wrong type */
    {"{\"id\":\"x\",\"init_process_pid\":1,\"config\":{\"labels\":[\"noequals\"]}}"},
    {"{\"id\":\"x\",\"init_process_pid\":1,\"config\":{\"labels\":[\"=v\"]}}"},
    {"{\"id\":\"x\",\"init_process_pid\":1,\"config\":{\"labels\":[1]}}"},
    {"{\"id\":\"x\",\"init_process_pid\":1,\"config\":{\"labels\":[\"bundle=rel\"]}}"},
    {"{\"id\":\"x\",\"id\":\"y\",\"init_process_pid\":1}"}, /* duplicate key */
    {"{\"id\":\"x\\u0000y\",\"init_process_pid\":1}"},      /* NUL inside */
};

START_TEST(test_runc_state_malformed)
{
        struct oci_state s;

        ck_assert_int_eq(oci_runc_state_parse(bad_states[_i].json, strlen(bad_states[_i].json), &s),
                         -EINVAL);
}
END_TEST

START_TEST(test_crun_and_config)
{
        static const char status[] = "{\"pid\":139179,\"process-start-time\":263473330,"
                                     "\"cgroup-path\":\"/x\",\"bundle\":\"/home/c\","
                                     "\"rootfs\":\"rootfs\",\"owner\":\"root\"}";
        static const char config[] = "{\"ociVersion\":\"1.0.2\",\"annotations\":{"
                                     "\"io.kubernetes.pod.name\":\"web\","
                                     "\"io.kubernetes.container.name\":\"nginx\"}}";
        struct oci_state s;
        struct oci_labels l;

        ck_assert_int_eq(oci_crun_status_parse(status, strlen(status), "c1", &s), 0);
        ck_assert_int_eq(s.init_pid, 139179);
        ck_assert_uint_eq(s.init_start, 263473330);
        ck_assert_str_eq(s.bundle, "/home/c");
        ck_assert_str_eq(s.id, "c1");
        oci_state_done(&s);
        ck_assert_int_eq(oci_crun_status_parse("{\"pid\":1}", 9, "", &s), -EINVAL);
        ck_assert_int_eq(oci_config_annotations_parse(config, strlen(config), &l), 0);
        ck_assert_uint_eq(l.n, 2);
        ck_assert_str_eq(oci_labels_get(&l, "io.kubernetes.container.name"), "nginx");
        oci_labels_done(&l);
        ck_assert_int_eq(oci_config_annotations_parse("{}", 2, &l), 0);
        ck_assert_uint_eq(l.n, 0);
        ck_assert_int_eq(oci_config_annotations_parse("{\"annotations\":[]}", 18, &l), -EINVAL);
        ck_assert_int_eq(oci_config_annotations_parse("{\"annotations\":{\"a\":1}}", 23, &l),
                         -EINVAL);
}
END_TEST

START_TEST(test_label_caps)
{
        struct oci_labels l = {0};
        char key[16];

        for (unsigned i = 0; i < OCI_MAX_LABELS; i++) {
                snprintf(key, sizeof(key), "k%u", i);
                ck_assert_int_eq(oci_labels_add(&l, key, "v"), 0);
        }
        ck_assert_int_eq(oci_labels_add(&l, "one-more", "v"), -E2BIG);
        ck_assert_int_eq(oci_labels_add(&l, "k1", "other"), 0); /* first wins */
        ck_assert_str_eq(oci_labels_get(&l, "k1"), "v");
        oci_labels_done(&l);
}
END_TEST

START_TEST(test_engine_names)
{
        static const char storage[] =
            "[{\"id\":\"" ID64 "\",\"names\":[\"web-1\",\"alias\"]},"
            "{\"id\":\"00ff\",\"names\":null},{\"id\":\"00aa\",\"names\":[]}]";
        struct engine_names n = {0};
        char *owned = NULL, *name = NULL;

        ck_assert_int_eq(engine_storage_parse(storage, strlen(storage), &n), 0);
        ck_assert_uint_eq(n.n, 1);
        ck_assert_str_eq(engine_names_find(&n, -1, ID64, &owned), "web-1");
        ck_assert_ptr_null(owned);
        ck_assert_ptr_null(engine_names_find(&n, -1, "00ff", &owned));
        ck_assert_int_eq(engine_storage_parse("[{\"id\":\"UPPER\",\"names\":[\"x\"]}]", 34, &n),
                         -EINVAL);
        ck_assert_int_eq(engine_storage_parse("[{\"id\":\"ab\",\"names\":[\"sp ace\"]}]", 34, &n),
                         -EINVAL);
        ck_assert_uint_eq(n.n, 1); /* a bad file adds nothing */
        engine_names_done(&n);
        ck_assert_int_eq(engine_docker_name_parse("{\"Name\":\"/web-1\"}", 17, &name), 0);
        ck_assert_str_eq(name, "web-1");
        free(name);
        ck_assert_int_eq(engine_docker_name_parse("{\"Name\":\"/\"}", 12, &name), -EINVAL);
        /* found by fuzzing: one '/' is docker's prefix, another is not a name */
        ck_assert_int_eq(engine_docker_name_parse("{\"Name\":\"//eb\"}", 15, &name), -EINVAL);
        ck_assert_int_eq(engine_docker_name_parse("{}", 2, &name), -EINVAL);
}
END_TEST

static char root_copy[64];

static int make_root_copy(void)
{
        return posture_root_open_copy(root_copy, sizeof(root_copy));
}

static void drop_root_copy(int fd)
{
        posture_root_drop(fd, root_copy);
}

START_TEST(test_oci_lookup_fixture)
{
        int root = make_root_copy();
        struct oci_info info;
        struct engine_names names;
        char *owned = NULL;

        /* containerd k8s.io: state, then the bundle's annotations */
        ck_assert_int_eq(
            oci_lookup(root, "c0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0de",
                       &info),
            0);
        ck_assert(info.trusted);
        ck_assert_int_eq(info.init_pid, 200);
        ck_assert_uint_eq(info.init_start, 7000);
        ck_assert_str_eq(oci_labels_get(&info.labels, "io.kubernetes.cri.container-name"), "api");
        ck_assert_str_eq(info.state_path,
                         "/run/containerd/runc/k8s.io/"
                         "c0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0dec0de/"
                         "state.json");
        oci_info_done(&info);
        /* docker's runc root */
        ck_assert_int_eq(
            oci_lookup(root, "d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4",
                       &info),
            0);
        ck_assert_str_eq(oci_labels_get(&info.labels, "com.example.tier"), "web");
        oci_info_done(&info);
        /* group-writable state: read, not trusted */
        ck_assert_int_eq(
            oci_lookup(root, "0c100c100c100c100c100c100c100c100c100c100c100c100c100c100c100c10",
                       &info),
            0);
        ck_assert(!info.trusted);
        oci_info_done(&info);
        ck_assert_int_eq(
            oci_lookup(root, "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                       &info),
            -ENOENT);
        ck_assert_int_eq(oci_lookup(root, "../../etc", &info), -EINVAL);
        /* engine names: containers.json, then docker's config.v2.json */
        ck_assert_int_eq(engine_names_load(root, &names), 0);
        ck_assert_str_eq(
            engine_names_find(&names, root,
                              "9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a9a",
                              &owned),
            "priv-box");
        ck_assert_str_eq(
            engine_names_find(&names, root,
                              "d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4d0c4",
                              &owned),
            "web-1");
        free(owned);
        engine_names_done(&names);
        drop_root_copy(root);
}
END_TEST

START_TEST(test_open_in_root_stays_inside)
{
        int root = make_root_copy(), fd;
        char path[256];

        /* An absolute symlink inside the root resolves inside it. */
        snprintf(path, sizeof(path), "%s/escape", root_copy);
        ck_assert_int_eq(symlink("/run/docker.sock", path), 0);
        fd = open_in_root(root, "/escape", O_PATH);
        ck_assert_int_ge(fd, 0);
        close(fd);
        /* ".." cannot climb out. */
        fd = open_in_root(root, "/../../../../run/docker.sock", O_RDONLY);
        ck_assert_int_ge(fd, 0);
        close(fd);
        ck_assert_int_eq(open_in_root(root, "/../../etc/shadow", O_RDONLY), -ENOENT);
        drop_root_copy(root);
}
END_TEST

static Suite *posture_identity_suite(void)
{
        Suite *s = suite_create("posture-identity");
        TCase *tc = tcase_create("identity");

        tcase_add_loop_test(tc, test_cgroup_paths, 0, (int)ELEMENTSOF(paths));
        tcase_add_loop_test(tc, test_cgroup_bad_paths, 0, (int)ELEMENTSOF(bad_paths));
        tcase_add_loop_test(tc, test_cgroup_files, 0, (int)ELEMENTSOF(files));
        tcase_add_test(tc, test_cgroup_file_bounds);
        tcase_add_test(tc, test_runc_state);
        tcase_add_loop_test(tc, test_runc_state_malformed, 0, (int)ELEMENTSOF(bad_states));
        tcase_add_test(tc, test_crun_and_config);
        tcase_add_test(tc, test_label_caps);
        tcase_add_test(tc, test_engine_names);
        tcase_add_test(tc, test_oci_lookup_fixture);
        tcase_add_test(tc, test_open_in_root_stays_inside);
        suite_add_tcase(s, tc);
        return s;
}
TEST_SUITE(posture_identity_suite)
