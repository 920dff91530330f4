/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Functions that are too easy to misuse on hostile input. Including this
 * header turns every use into a compile error; use the checked helpers in
 * common.h instead (bt_parse_u64, bt_strlcpy, snprintf, strtok_r).
 */
#ifndef BT_BANNED_H
#define BT_BANNED_H

#define BT_BANNED(func) sorry_##func##_is_banned_use_checked_helpers

#undef strcpy
#define strcpy(x, y) BT_BANNED(strcpy)
#undef strcat
#define strcat(x, y) BT_BANNED(strcat)
#undef sprintf
#define sprintf(...) BT_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BT_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BT_BANNED(strtok)
#undef atoi
#define atoi(x) BT_BANNED(atoi)
#undef atol
#define atol(x) BT_BANNED(atol)
#undef gets
#define gets(x) BT_BANNED(gets)

#endif
