/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Open flags: the few that files made by the kernel side take, with the
 * values of upstream's uapi <asm-generic/fcntl.h> (which glibc's
 * <fcntl.h> also uses, so a file that includes both sees no conflict in
 * values; the #ifndef keeps the second definition out).
 */
#ifndef _LINUX_FCNTL_H
#define _LINUX_FCNTL_H

#ifndef O_ACCMODE
#define O_ACCMODE	00000003
#define O_RDONLY	00000000
#define O_WRONLY	00000001
#define O_RDWR		00000002
#endif
#ifndef O_NONBLOCK
#define O_NONBLOCK	00004000
#endif
#ifndef O_CLOEXEC
#define O_CLOEXEC	02000000
#endif

#endif /* _LINUX_FCNTL_H */
