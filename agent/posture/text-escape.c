/* SPDX-License-Identifier: MIT */
#include "text-escape.h"

#include <string.h>

/* The escaped form of one byte into out (at most 4 bytes); returns its length. */
static size_t escape_one(unsigned char c, bool nul_as_space, char out[4])
{
        static const char hex[] = "0123456789abcdef";

        if (c == '\0' && nul_as_space) {
                out[0] = ' ';
                return 1;
        }
        if (c >= 0x20 && c < 0x7f && c != '\\' && c != '"') {
                out[0] = (char)c;
                return 1;
        }
        out[0] = '\\';
        switch (c) {
        case '\\':
        case '"':
                out[1] = (char)c;
                return 2;
        case '\n':
                out[1] = 'n';
                return 2;
        case '\t':
                out[1] = 't';
                return 2;
        case '\r':
                out[1] = 'r';
                return 2;
        default:
                out[1] = 'x';
                out[2] = hex[c >> 4];
                out[3] = hex[c & 15];
                return 4;
        }
}

char *text_escape(const void *data, size_t len, bool nul_as_space, char *buf, size_t size)
{
        const unsigned char *p = data;
        size_t total = 0, o = 0, limit;
        char tmp[4];

        if (size == 0)
                return buf;
        if (nul_as_space && len > 0 && p[len - 1] == '\0')
                len--;
        for (size_t i = 0; i < len; i++)
                total += escape_one(p[i], nul_as_space, tmp);
        /* Everything fits, or stop early leaving room for "..." and NUL. */
        limit = total + 1 <= size ? size - 1 : (size >= 4 ? size - 4 : 0);
        for (size_t i = 0; i < len; i++) {
                size_t n = escape_one(p[i], nul_as_space, tmp);

                if (o + n > limit)
                        break;
                memcpy(buf + o, tmp, n);
                o += n;
        }
        if (total + 1 > size && size >= 4) {
                memcpy(buf + o, "...", 3);
                o += 3;
        }
        buf[o] = '\0';
        return buf;
}
