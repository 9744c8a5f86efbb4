// SPDX-License-Identifier: GPL-2.0
/*
 * WARN and BUG for userspace builds: print where, count warnings, abort on
 * BUG.  The counter is what the KUnit runner watches to fail a test case
 * that warned without saying it would.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bug.h>

static unsigned long compat_warnings;

/**
 * compat_warn_count() - number of WARN*() that fired so far in this process
 *
 * Return: the count; monotonic, thread-safe.
 */
unsigned long compat_warn_count(void)
{
	return __atomic_load_n(&compat_warnings, __ATOMIC_RELAXED);
}

/**
 * __compat_warn() - report one warning (used by the WARN*() macros)
 * @file: source file
 * @line: source line
 * @fmt: printf format of an extra message, or NULL
 */
void __compat_warn(const char *file, int line, const char *fmt, ...)
{
	char msg[512] = "";
	size_t len;
	va_list ap;

	__atomic_fetch_add(&compat_warnings, 1, __ATOMIC_RELAXED);
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
	}
	/* Kernel messages often end in a newline; print exactly one. */
	len = strlen(msg);
	if (len && msg[len - 1] == '\n')
		msg[len - 1] = '\0';
	fprintf(stderr, "WARNING: %s:%d%s%s\n", file, line, *msg ? ": " : "",
		msg);
}

/**
 * __compat_bug() - report a BUG() and abort the process
 * @file: source file
 * @line: source line
 *
 * Flushes every stdio stream first, so that KTAP output written so far
 * is not lost.  Never returns.
 */
void __compat_bug(const char *file, int line)
{
	fprintf(stderr, "kernel BUG at %s:%d!\n", file, line);
	fflush(NULL);
	abort();
}
