/* SPDX-License-Identifier: MIT */
/* Numbers and quotes found eight bytes at a time (SWAR: one 64-bit word
 * holds eight bytes of the record). A byte loop over a number costs a
 * mispredicted branch where the digits end, once per field, and a record
 * has about fifteen fields: counting the digits of a word with one
 * count-trailing-zeros, and converting them with three multiplications,
 * has no branch that depends on the digits.
 *
 * Every function takes a word loaded from the record (little-endian, the
 * first byte of the text in the lowest byte of the word); the caller
 * loads only whole words that lie inside the text. */
#pragma once

#include <stdint.h>
#include <string.h>

#define AUDIT_SWAR_ONES  UINT64_C(0x0101010101010101)
#define AUDIT_SWAR_HIGHS UINT64_C(0x8080808080808080)

/* Small enough to inline everywhere, and only fast when inlined (the
 * constants are then loaded once per caller, not once per call). */
#define AUDIT_SWAR_INLINE static inline __attribute__((always_inline))

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "the words are read little-endian");

AUDIT_SWAR_INLINE uint64_t audit_swar_load(const char *p)
{
        uint64_t w;

        memcpy(&w, p, sizeof(w));
        return w;
}

/* The number of leading bytes (0..8) whose bit 7 is clear in mask, where
 * mask marks with bit 7 every byte that ends a run. */
AUDIT_SWAR_INLINE unsigned audit_swar_run(uint64_t mask)
{
        mask &= AUDIT_SWAR_HIGHS;
        return mask ? (unsigned)__builtin_ctzll(mask) / 8u : 8u;
}

/* Bit 7 set in every byte of w that is not '0'..'9'. */
AUDIT_SWAR_INLINE uint64_t audit_swar_non_digits(uint64_t w)
{
        uint64_t t = w ^ (AUDIT_SWAR_ONES * '0'); /* '0'..'9' become 0..9 */

        /* Bytes of t at 10 and above get bit 7 from the addition (which
         * cannot carry out of a byte of t & 0x7f), bytes at 0x80 and above
         * have it already. */
        return (((t & (AUDIT_SWAR_ONES * 0x7f)) + AUDIT_SWAR_ONES * (0x80 - 10)) | t) &
               AUDIT_SWAR_HIGHS;
}

/* The value of the first n (1..8) decimal digits of w, which
 * audit_swar_non_digits() vouched for. */
AUDIT_SWAR_INLINE uint64_t audit_swar_decimal(uint64_t w, unsigned n)
{
        /* The n digits moved to the top, zeros (digit value 0) below. */
        uint64_t v = (w & (AUDIT_SWAR_ONES * 0x0f)) << (8u * (8u - n));

        v = (v * (10u << 8 | 1u)) >> 8 & UINT64_C(0x00ff00ff00ff00ff);
        v = (v * (100u << 16 | 1u)) >> 16 & UINT64_C(0x0000ffff0000ffff);
        return (v * (UINT64_C(10000) << 32 | 1u)) >> 32;
}

/* Bit 7 set in every byte of w that is no hex digit; *ret_letters gets
 * 0x01 in every byte that is 'a'..'f' or 'A'..'F'. */
AUDIT_SWAR_INLINE uint64_t audit_swar_non_hex(uint64_t w, uint64_t *ret_letters)
{
        uint64_t low7 =
            (w | AUDIT_SWAR_ONES * 0x20) & (AUDIT_SWAR_ONES * 0x7f); /* letters lowered */
        uint64_t from_a = low7 + AUDIT_SWAR_ONES * (0x80 - 'a');     /* >= 'a' */
        uint64_t past_f = low7 + AUDIT_SWAR_ONES * (0x80 - 'f' - 1); /* > 'f' */
        uint64_t letters = from_a & ~past_f & ~w & AUDIT_SWAR_HIGHS;

        *ret_letters = letters >> 7;
        return ~(~audit_swar_non_digits(w) | letters) & AUDIT_SWAR_HIGHS;
}

/* The value of the first n (1..8) hex digits of w, which
 * audit_swar_non_hex() vouched for (letters as it returned them). */
AUDIT_SWAR_INLINE uint64_t audit_swar_hex(uint64_t w, uint64_t letters, unsigned n)
{
        uint64_t v = ((w & (AUDIT_SWAR_ONES * 0x0f)) + letters * 9u) << (8u * (8u - n));

        v = (v * (16u << 8 | 1u)) >> 8 & UINT64_C(0x00ff00ff00ff00ff);
        v = (v * (256u << 16 | 1u)) >> 16 & UINT64_C(0x0000ffff0000ffff);
        return (v * (UINT64_C(65536) << 32 | 1u)) >> 32;
}

/* Bit 7 set in every byte of w that equals c (exact for the lowest such
 * byte; bytes above it may be marked falsely, which audit_swar_run()
 * never looks at). */
AUDIT_SWAR_INLINE uint64_t audit_swar_equal(uint64_t w, unsigned char c)
{
        uint64_t x = w ^ (AUDIT_SWAR_ONES * c);

        return (x - AUDIT_SWAR_ONES) & ~x & AUDIT_SWAR_HIGHS;
}
