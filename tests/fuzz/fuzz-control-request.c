/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the control socket: any bytes as a request body
 * (what a local peer may send the daemon) and as a reply body (what the
 * CLI may read). A parsed request must satisfy its verb's schema; an
 * error must carry a stable code, a printable message, and survive the
 * round trip through an error reply. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "control/protocol.h"

static void check_request(const struct protocol_request *req)
{
        if (req->id > PROTOCOL_ID_MAX || !protocol_verb_to_string(req->verb))
                abort();
        if (req->service[0] && !protocol_service_name_valid(req->service))
                abort();
        if (req->verb == PROTOCOL_VERB_MONITOR || req->verb == PROTOCOL_VERB_ENFORCE) {
                if (req->all == (req->n_services > 0) || req->n_services > PROTOCOL_SERVICES_MAX)
                        abort();
                for (size_t i = 0; i < req->n_services; i++)
                        if (!protocol_service_name_valid(req->services[i]))
                                abort();
                if (req->n_services && req->services[req->n_services])
                        abort();
        } else if (req->n_services || req->all) {
                abort();
        }
        if (req->force && req->verb != PROTOCOL_VERB_ENFORCE)
                abort();
}

static void check_error(const struct protocol_error *err)
{
        static const char *const codes[] = {PROTOCOL_E_TOO_LARGE,    PROTOCOL_E_BAD_JSON,
                                            PROTOCOL_E_BAD_REQUEST,  PROTOCOL_E_BAD_VERSION,
                                            PROTOCOL_E_UNKNOWN_VERB, PROTOCOL_E_BAD_ARGS};
        struct protocol_response resp;
        char *frame;
        size_t len, i;

        for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
                if (strcmp(err->code, codes[i]) == 0)
                        break;
        if (i == sizeof(codes) / sizeof(codes[0]))
                abort();
        /* Peer bytes are escaped: a message is printable ASCII. */
        for (const char *p = err->message; *p; p++)
                if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f)
                        abort();
        if (err->id != PROTOCOL_ID_NONE && err->id > PROTOCOL_ID_MAX)
                abort();
        /* The daemon must always be able to answer (jansson refuses
         * invalid UTF-8, so unescaped peer bytes would make it fail). */
        if (protocol_reply_error(err->id, err->code, err->message, &frame, &len) < 0)
                abort();
        if (protocol_response_parse(frame + PROTOCOL_FRAME_HEADER, len - PROTOCOL_FRAME_HEADER,
                                    &resp) < 0)
                abort();
        if (resp.ok || resp.id != err->id || strcmp(resp.error_code, err->code) != 0 ||
            strcmp(resp.error_message, err->message) != 0)
                abort();
        protocol_response_done(&resp);
        free(frame);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        struct protocol_request req;
        struct protocol_error err;
        struct protocol_response resp;

        if (protocol_request_parse(data, size, &req, &err) == 0) {
                check_request(&req);
                protocol_request_done(&req);
        } else {
                check_error(&err);
        }
        if (protocol_response_parse(data, size, &resp) == 0) {
                if (resp.ok != (resp.result != NULL) || resp.ok == (resp.error_code != NULL))
                        abort();
                protocol_response_done(&resp);
        }
        return 0;
}
