/* SPDX-License-Identifier: MIT */
/* The envelope the files in state_dir share (the state file, control/
 * state.h, and the observations file, events/observations-file.h), and
 * their load and save around it:
 *
 *   {"format": <name>, "version": <n>, "crc32": "<8 lowercase hex>",
 *    "body": {...}}\n
 *
 * The CRC-32 covers the body as jansson prints it compact with sorted
 * keys, so it checks what the file means, independent of layout. The
 * final newline marks a complete file: a copy cut anywhere, even just
 * before it, is refused. Never logs. */
#pragma once

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"

/* How a body is printed for its checksum. */
#define JSON_FILE_CANONICAL_FLAGS (JSON_COMPACT | JSON_SORT_KEYS)

/* Checks that o is an object with exactly the keys listed; otherwise adds
 * "<where>: must be an object", "<where>: unknown key '...'" or one
 * "<where>: missing '...'" per absent key to d. Returns 0 or -EINVAL. */
int json_check_keys(struct diag_list *d, json_t *o, const char *where, const char *const *keys,
                    size_t n_keys);

/* CRC-32 of body (any JSON value) printed with JSON_FILE_CANONICAL_FLAGS.
 * Returns 0 or -ENOMEM. */
int json_file_body_crc(const json_t *body, uint32_t *ret);

/* The file text for body: the envelope with format_name, version and the
 * body's checksum, printed with flags (jansson's JSON_INDENT...), keys in
 * the order format, version, crc32, body, and a final newline. *ret_data
 * (NUL-terminated, caller frees) and *ret_size (without the NUL) are
 * written only on success. Returns 0 or -ENOMEM. */
int json_file_format(json_t *body, const char *format_name, int version, size_t flags,
                     char **ret_data, size_t *ret_size);

/* Checks the envelope of the bytes of a file: final newline, at most max
 * bytes, JSON without duplicate keys, an object whose "format" is
 * format_name and "version" is version (checked first, so that a file of
 * a newer format says so rather than "unknown key"), with exactly the keys
 * format, version, crc32 and body, a well-formed crc32 that matches the
 * object "body". what names the file in "not a hardend <what> file".
 * Returns 0 and *ret_body (a new reference), -EINVAL with the reason in
 * diags, or -ENOMEM. */
int json_file_parse(const char *data, size_t size, size_t max, const char *format_name, int version,
                    const char *what, struct diag_list *diags, json_t **ret_body);

/* A pure parser of a whole file, as json_file_load calls it: returns 0
 * (and keeps its result in userdata), -EINVAL with the reasons in diags
 * (the file is damaged), or another -errno. */
typedef int (*json_file_parse_fn)(const char *data, size_t size, struct diag_list *diags,
                                  void *userdata);

/* Reads dirfd/name (at most max bytes; dirfd is state_dir, opened
 * O_DIRECTORY) and hands it to parse, after removing the temporaries a
 * crash during a save left.
 *  0: parsed, or no file (parse was not called).
 *  1: the file was unusable (too large, a directory, or parse said
 *     -EINVAL): it was renamed to dirfd/<*ret_kept_aside> (if not NULL,
 *     caller frees) and the reasons are in diags.
 *  -errno: the file could not be read or not be renamed, or parse failed
 *     otherwise; nothing was renamed. now_usec names the kept-aside file.
 * *ret_kept_aside is written on 0 (NULL) and 1. */
int json_file_load(int dirfd, const char *name, size_t max, uint64_t now_usec,
                   struct diag_list *diags, json_file_parse_fn parse, void *userdata,
                   char **ret_kept_aside);

/* Writes data to dirfd/name atomically (mode 0600) and returns only once
 * the new file and the rename are on disk. Returns 0 or -errno; on error
 * the previous file is untouched. */
int json_file_save(int dirfd, const char *name, const char *data, size_t size);
