/* SPDX-License-Identifier: MIT */
#include "control-client.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>

#include "base/macro.h"

int control_connect(const char *path, int timeout_ms)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        size_t n = strlen(path);
        struct timespec start, now, pause = {.tv_nsec = 5 * 1000 * 1000};

        if (n == 0)
                return -EINVAL;
        if (n >= sizeof(sa.sun_path))
                return -ENAMETOOLONG;
        memcpy(sa.sun_path, path, n);

        _cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (fd < 0)
                return -errno;

        (void)clock_gettime(CLOCK_MONOTONIC, &start);
        for (;;) {
                if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
                        return TAKE_FD(fd);
                if (errno == EINTR)
                        continue;
                /* AF_UNIX answers EAGAIN (not EINPROGRESS) when the
                 * listener's backlog is full, and nothing to poll for. */
                if (errno != EAGAIN)
                        return -errno;
                (void)clock_gettime(CLOCK_MONOTONIC, &now);
                int64_t spent = (int64_t)(now.tv_sec - start.tv_sec) * 1000 +
                                (now.tv_nsec - start.tv_nsec) / 1000000;
                if (spent >= timeout_ms)
                        return -ETIMEDOUT;
                (void)nanosleep(&pause, NULL);
        }
}

json_t *control_request_new(uint64_t id, enum protocol_verb verb, json_t *args)
{
        const char *v = protocol_verb_to_string(verb);

        if (!v || id > PROTOCOL_ID_MAX) {
                json_decref(args);
                return NULL;
        }
        return json_pack("{s:i, s:I, s:s, s:o}", "version", PROTOCOL_VERSION, "id", (json_int_t)id,
                         "verb", v, "args", args ? args : json_object());
}

int control_call(int fd, const json_t *request, int timeout_ms, struct protocol_response *ret)
{
        _cleanup_free_ char *out = NULL, *in = NULL;
        size_t out_len, in_len;
        struct protocol_response resp;
        json_t *id = json_object_get(request, "id");
        int r;

        if (!json_is_integer(id))
                return -EINVAL;
        r = protocol_frame_json(request, PROTOCOL_REQUEST_MAX, &out, &out_len);
        if (r < 0)
                return r;
        r = protocol_write_all(fd, out, out_len, timeout_ms);
        if (r < 0)
                return r;
        r = protocol_read_frame(fd, PROTOCOL_RESPONSE_MAX, timeout_ms, &in, &in_len);
        if (r < 0)
                return r;
        r = protocol_response_parse(in, in_len, &resp);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return -EBADMSG;
        if (resp.id != (uint64_t)json_integer_value(id) &&
            !(resp.id == PROTOCOL_ID_NONE && !resp.ok)) {
                protocol_response_done(&resp);
                return -EBADMSG;
        }
        *ret = resp;
        return 0;
}
