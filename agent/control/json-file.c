/* SPDX-License-Identifier: MIT */
#include "json-file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/macro.h"
#include "json-text.h"
#include "state-crc32.h"

#define _cleanup_json_ _cleanup_(json_decrefp)

static const struct loc no_loc = {0, 0};

int json_check_keys(struct diag_list *d, json_t *o, const char *where, const char *const *keys,
                    size_t n_keys)
{
        const char *key;
        json_t *v;
        size_t present = 0;

        if (!json_is_object(o)) {
                diag_add(d, no_loc, "%s: must be an object", where);
                return -EINVAL;
        }
        json_object_foreach(o, key, v)
        {
                bool known = false;

                for (size_t i = 0; i < n_keys && !known; i++)
                        known = strcmp(key, keys[i]) == 0;
                if (!known) {
                        diag_add(d, no_loc, "%s: unknown key '%.64s'", where, key);
                        return -EINVAL;
                }
                present++;
        }
        if (present != n_keys) {
                for (size_t i = 0; i < n_keys; i++)
                        if (!json_object_get(o, keys[i]))
                                diag_add(d, no_loc, "%s: missing '%s'", where, keys[i]);
                return -EINVAL;
        }
        return 0;
}

int json_file_body_crc(const json_t *body, uint32_t *ret)
{
        _cleanup_free_ char *canon = json_dumps(body, JSON_FILE_CANONICAL_FLAGS | JSON_ENCODE_ANY);

        if (!canon)
                return -ENOMEM;
        *ret = state_crc32(canon, strlen(canon));
        return 0;
}

int json_file_format(json_t *body, const char *format_name, int version, size_t flags,
                     char **ret_data, size_t *ret_size)
{
        _cleanup_json_ json_t *top = NULL;
        char crc_hex[9];
        uint32_t crc;
        int r;

        r = json_file_body_crc(body, &crc);
        if (r < 0)
                return r;
        snprintf(crc_hex, sizeof(crc_hex), "%08x", crc);
        top = json_object();
        if (!top || json_set_new(top, "format", json_string(format_name)) < 0 ||
            json_set_new(top, "version", json_integer(version)) < 0 ||
            json_set_new(top, "crc32", json_string(crc_hex)) < 0 ||
            json_object_set(top, "body", body) < 0)
                return -ENOMEM;
        return json_dump_line(top, flags | JSON_PRESERVE_ORDER, ret_data, ret_size);
}

int json_file_parse(const char *data, size_t size, size_t max, const char *format_name, int version,
                    const char *what, struct diag_list *diags, json_t **ret_body)
{
        static const char *const top_keys[] = {"format", "version", "crc32", "body"};
        _cleanup_json_ json_t *top = NULL;
        json_error_t jerr;
        json_t *v, *body;
        unsigned long stored;
        uint32_t crc;
        int r;

        if (size == 0 || data[size - 1] != '\n') {
                diag_add(diags, no_loc, "file is empty or cut short (no final newline)");
                return -EINVAL;
        }
        if (size > max) {
                diag_add(diags, no_loc, "file is larger than %zu bytes", max);
                return -EINVAL;
        }
        top = json_loadb(data, size, JSON_REJECT_DUPLICATES, &jerr);
        if (!top) {
                diag_add(diags, (struct loc){(unsigned)jerr.line, (unsigned)jerr.column},
                         "not valid JSON: %s", jerr.text);
                return -EINVAL;
        }
        if (!json_is_object(top)) {
                diag_add(diags, no_loc, "not a JSON object");
                return -EINVAL;
        }
        /* Name and version first, so that a file of a newer format says so
         * rather than "unknown key". */
        v = json_object_get(top, "format");
        if (!json_is_string(v) || strcmp(json_string_value(v), format_name) != 0) {
                diag_add(diags, no_loc, "not a hardend %s file (\"format\" is not '%s')", what,
                         format_name);
                return -EINVAL;
        }
        v = json_object_get(top, "version");
        if (!json_is_integer(v) || json_integer_value(v) != version) {
                diag_add(diags, no_loc, "unsupported format version (this agent reads %d)",
                         version);
                return -EINVAL;
        }
        if (json_check_keys(diags, top, "top level", top_keys, ELEMENTSOF(top_keys)) < 0)
                return -EINVAL;
        v = json_object_get(top, "crc32");
        if (!json_is_string(v) || json_string_length(v) != 8 ||
            strspn(json_string_value(v), "0123456789abcdef") != 8) {
                diag_add(diags, no_loc, "crc32: must be 8 lowercase hex digits");
                return -EINVAL;
        }
        stored = strtoul(json_string_value(v), NULL, 16);
        /* Before the checksum, so that a body of another type says so. */
        body = json_object_get(top, "body");
        if (!json_is_object(body)) {
                diag_add(diags, no_loc, "body: must be an object");
                return -EINVAL;
        }
        r = json_file_body_crc(body, &crc);
        if (r < 0)
                return r;
        if (crc != stored) {
                diag_add(diags, no_loc, "checksum mismatch: stored %08lx, content has %08x", stored,
                         crc);
                return -EINVAL;
        }
        /* The body outlives top, which the cleanup releases. */
        *ret_body = json_incref(body);
        return 0;
}

int json_file_load(int dirfd, const char *name, size_t max, uint64_t now_usec,
                   struct diag_list *diags, json_file_parse_fn parse, void *userdata,
                   char **ret_kept_aside)
{
        _cleanup_free_ char *data = NULL, *kept = NULL;
        size_t size = 0;
        int r;

        remove_stale_temporaries(dirfd, name);
        r = read_file_bounded(dirfd, name, max, &data, &size);
        if (r == -ENOENT)
                goto loaded;
        if (r == -EFBIG)
                diag_add(diags, no_loc, "file is larger than %zu bytes", max);
        else if (r == -EISDIR)
                diag_add(diags, no_loc, "is a directory, not a file");
        else if (r < 0)
                return r;
        else {
                r = parse(data, size, diags, userdata);
                if (r == 0)
                        goto loaded;
                if (r != -EINVAL)
                        return r;
        }
        r = keep_aside(dirfd, name, now_usec, &kept);
        if (r < 0)
                return r;
        if (ret_kept_aside)
                *ret_kept_aside = TAKE_PTR(kept);
        return 1;
loaded:
        if (ret_kept_aside)
                *ret_kept_aside = NULL;
        return 0;
}

int json_file_save(int dirfd, const char *name, const char *data, size_t size)
{
        int r = write_file_atomic(dirfd, name, data, size, 0600);

        if (r < 0)
                return r;
        return fsync_dir(dirfd);
}
