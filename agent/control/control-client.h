/* SPDX-License-Identifier: MIT */
/* The client end of the control socket, for hardenctl and tests: connect,
 * send one request, read its reply. Never logs. */
#pragma once

#include <jansson.h>

#include "protocol.h"

/* Connects a non-blocking, close-on-exec AF_UNIX stream socket to path,
 * retrying while the daemon's backlog is full until timeout_ms. Returns
 * the fd, -ENAMETOOLONG, -ETIMEDOUT, or -errno from connect (ENOENT: no
 * daemon socket there; ECONNREFUSED: nobody listening; EACCES). */
int control_connect(const char *path, int timeout_ms);

/* Sends request (borrowed; must carry an integer "id"; at most
 * PROTOCOL_REQUEST_MAX bytes encoded) and waits at most timeout_ms for
 * the reply, which must echo the id (an error reply with id null, sent when
 * the daemon could not read the id, is accepted too). Returns 0 with
 * *ret filled (caller calls protocol_response_done; ret->ok tells success
 * from an error reply), -EMSGSIZE (request too large), -EBADMSG (reply
 * not well-formed, or for another id), or an error of protocol_read_frame
 * / protocol_write_all (-ENODATA: the daemon hung up). */
int control_call(int fd, const json_t *request, int timeout_ms, struct protocol_response *ret);

/* Builds {"version":1,"id":id,"verb":verb,"args":args}; args is stolen
 * (NULL for {}). NULL on allocation failure. */
json_t *control_request_new(uint64_t id, enum protocol_verb verb, json_t *args);
