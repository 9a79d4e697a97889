/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the report renderers: any JSON (NUL bytes in
 * strings included) through report_render() in every format. A document
 * is either refused with -EINVAL by every format alike or rendered by all
 * of them; text, Markdown and HTML never carry a control byte other than
 * the newline, and the HTML never a script element. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "insight/report-render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        json_t *doc = json_loadb((const char *)data, size, JSON_ALLOW_NUL | JSON_DECODE_ANY, NULL);
        int valid;

        if (!doc)
                return 0;
        valid = report_validate(doc, NULL, 0);
        for (int fmt = 0; fmt < _REPORT_FORMAT_MAX; fmt++) {
                char *out = NULL, err[128];
                size_t len = 0;
                FILE *f = open_memstream(&out, &len);
                int r;

                if (!f)
                        abort();
                r = report_render(doc, (enum report_format)fmt, f, err, sizeof(err));
                if (fclose(f) != 0 || r != valid)
                        abort();
                if (r < 0 && len != 0)
                        abort();
                for (size_t i = 0; fmt != REPORT_JSON && i < len; i++)
                        if ((unsigned char)out[i] < 0x20 && out[i] != '\n')
                                abort();
                if (fmt == REPORT_HTML && out && strcasestr(out, "<script"))
                        abort();
                free(out);
        }
        json_decref(doc);
        return 0;
}
