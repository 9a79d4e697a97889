/* SPDX-License-Identifier: MIT */
#include "sha256.h"

#include <errno.h>
#include <gcrypt.h>
#include <stdbool.h>
#include <stdio.h>

/* libgcrypt must be told once that the application is done setting it up;
 * libsystemd may have done so already, which is harmless to repeat. */
static bool gcrypt_ready(void)
{
        static bool ready;

        if (!ready) {
                if (!gcry_check_version(NULL))
                        return false;
                gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
                gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
                ready = true;
        }
        return true;
}

int sha256_hex(const void *data, size_t size, char ret[static SHA256_HEX_SIZE])
{
        unsigned char digest[32];

        if (!gcrypt_ready())
                return -EIO;
        gcry_md_hash_buffer(GCRY_MD_SHA256, digest, data, size);
        for (size_t i = 0; i < sizeof(digest); i++)
                snprintf(ret + 2 * i, 3, "%02x", digest[i]);
        return 0;
}
