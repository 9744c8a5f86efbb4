// SPDX-License-Identifier: GPL-2.0
/*
 * printk() for userspace builds: strip the "<N>" level prefix, filter by
 * compat_console_loglevel, print to stderr.  A KERN_CONT continuation
 * takes the level of the message it continues.
 *
 * Formats are the C library's plus the kernel's %pS and %ps: a code
 * address printed as its symbol, "function+0xoff/0xsize" or the function
 * alone (compat/kallsyms.c; an address in no known function prints in
 * hex).  compat_vsnprintf() walks the format and hands every other
 * conversion to vsnprintf() one at a time, so they print exactly as the
 * C library prints them.  A message is formatted whole, then written
 * with one call, so lines from several threads do not interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kallsyms.h>
#include <linux/printk.h>

int compat_console_loglevel = 7;

static int printk_last_level = 4;

/* An output buffer that counts what it could not hold, as vsnprintf(). */
struct fmt_out {
	char *buf;
	size_t size;
	size_t len;
};

static void fmt_put(struct fmt_out *out, const char *s, size_t n)
{
	if (out->len < out->size) {
		size_t room = out->size - out->len;

		memcpy(out->buf + out->len, s, n < room ? n : room);
	}
	out->len += n;
}

static void __printf(2, 3) fmt_printf(struct fmt_out *out, const char *spec, ...)
{
	size_t room = out->len < out->size ? out->size - out->len : 0;
	va_list ap;
	int n;

	va_start(ap, spec);
	n = vsnprintf(room ? out->buf + out->len : NULL, room, spec, ap);
	va_end(ap);
	if (n > 0)
		out->len += n;
}

/* Length modifiers, as they decide the type of the argument. */
enum fmt_len { FL_NONE, FL_HH, FL_H, FL_L, FL_LL, FL_J, FL_Z, FL_T, FL_BIG_L };

static enum fmt_len fmt_parse_len(const char **p)
{
	const char *s = *p;

	switch (*s) {
	case 'h':
		*p = s + (s[1] == 'h' ? 2 : 1);
		return s[1] == 'h' ? FL_HH : FL_H;
	case 'l':
		*p = s + (s[1] == 'l' ? 2 : 1);
		return s[1] == 'l' ? FL_LL : FL_L;
	case 'q':
		*p = s + 1;
		return FL_LL;
	case 'j':
		*p = s + 1;
		return FL_J;
	case 'z':
		*p = s + 1;
		return FL_Z;
	case 't':
		*p = s + 1;
		return FL_T;
	case 'L':
		*p = s + 1;
		return FL_BIG_L;
	default:
		return FL_NONE;
	}
}

/* Format one integer conversion of @spec, taking its argument. */
static void fmt_int(struct fmt_out *out, const char *spec, enum fmt_len len,
		    bool is_signed, va_list *ap)
{
	switch (len) {
	case FL_L:
		if (is_signed)
			fmt_printf(out, spec, va_arg(*ap, long));
		else
			fmt_printf(out, spec, va_arg(*ap, unsigned long));
		break;
	case FL_LL:
		if (is_signed)
			fmt_printf(out, spec, va_arg(*ap, long long));
		else
			fmt_printf(out, spec, va_arg(*ap, unsigned long long));
		break;
	case FL_J:
	case FL_Z:
	case FL_T: {
		/* intmax_t, size_t and ptrdiff_t are all 64-bit here. */
		_Static_assert(sizeof(size_t) == sizeof(long long), "size_t");
		fmt_printf(out, spec, va_arg(*ap, long long));
		break;
	}
	default:
		/* char and short are promoted to int. */
		fmt_printf(out, spec, va_arg(*ap, int));
		break;
	}
}

/* %pS, %ps: a code address as its symbol. */
static void fmt_symbol(struct fmt_out *out, void *ptr, bool offset)
{
	char sym[KSYM_SYMBOL_LEN];
	int n;

	if (offset)
		n = sprint_symbol(sym, (unsigned long)ptr);
	else
		n = sprint_symbol_no_offset(sym, (unsigned long)ptr);
	if (n > 0)
		fmt_put(out, sym, n);
}

/*
 * One conversion, at @pct (a '%'): copy its flags, width and precision
 * (a '*' becomes the number it takes), then format its argument.
 * Return: where the format goes on.
 */
static const char *fmt_conversion(struct fmt_out *out, const char *pct,
				  va_list *ap)
{
	const char *p = pct + 1;
	char spec[64];
	size_t n = 0;
	enum fmt_len len;
	char conv;

	spec[n++] = '%';
	while (*p && strchr("-+ #0'", *p) && n < 16)
		spec[n++] = *p++;
	if (*p == '*') {
		n += snprintf(spec + n, 16, "%d", va_arg(*ap, int));
		p++;
	}
	while (*p >= '0' && *p <= '9' && n < 40)
		spec[n++] = *p++;
	if (*p == '.') {
		p++;
		if (*p == '*') {
			int prec = va_arg(*ap, int);

			/* A negative precision is as if there were none. */
			if (prec >= 0)
				n += snprintf(spec + n, 16, ".%d", prec);
			p++;
		} else {
			spec[n++] = '.';
			while (*p >= '0' && *p <= '9' && n < 56)
				spec[n++] = *p++;
		}
	}
	len = fmt_parse_len(&p);
	conv = *p;
	if (!conv) {			/* a lone '%' at the end */
		fmt_put(out, pct, p - pct);
		return p;
	}
	p++;
	/* The length modifier as written, then the conversion. */
	switch (len) {
	case FL_HH: spec[n++] = 'h'; spec[n++] = 'h'; break;
	case FL_H: spec[n++] = 'h'; break;
	case FL_L: spec[n++] = 'l'; break;
	case FL_LL: spec[n++] = 'l'; spec[n++] = 'l'; break;
	case FL_J: spec[n++] = 'j'; break;
	case FL_Z: spec[n++] = 'z'; break;
	case FL_T: spec[n++] = 't'; break;
	case FL_BIG_L: spec[n++] = 'L'; break;
	default: break;
	}
	spec[n++] = conv;
	spec[n] = '\0';

	switch (conv) {
	case '%':
		fmt_put(out, "%", 1);
		break;
	case 'd':
	case 'i':
		fmt_int(out, spec, len, true, ap);
		break;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		fmt_int(out, spec, len, false, ap);
		break;
	case 'c':
		fmt_printf(out, spec, va_arg(*ap, int));
		break;
	case 's':
		fmt_printf(out, spec, va_arg(*ap, const char *));
		break;
	case 'p':
		if (*p == 'S' || *p == 's') {
			fmt_symbol(out, va_arg(*ap, void *), *p == 'S');
			p++;
		} else {
			fmt_printf(out, spec, va_arg(*ap, void *));
		}
		break;
	case 'e': case 'E': case 'f': case 'F':
	case 'g': case 'G': case 'a': case 'A':
		if (len == FL_BIG_L)
			fmt_printf(out, spec, va_arg(*ap, long double));
		else
			fmt_printf(out, spec, va_arg(*ap, double));
		break;
	case 'n':
		/* Never written, as in the kernel. */
		(void)va_arg(*ap, void *);
		break;
	default:
		/* Not a conversion: print it as written. */
		fmt_put(out, pct, p - pct);
		break;
	}
	return p;
}

/**
 * compat_vsnprintf() - vsnprintf() with the kernel's %pS and %ps
 * @buf: where to write; may be NULL if @size is 0
 * @size: bytes of @buf, the terminating NUL included
 * @fmt: a printf format
 * @args: its arguments
 *
 * What printk() formats with; kernel code reaches it through printk().
 *
 * Return: the length of the whole result, as vsnprintf(): @size or more
 * means it was truncated.
 */
int compat_vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct fmt_out out = { .buf = buf, .size = size };
	va_list ap;

	va_copy(ap, args);
	while (*fmt) {
		const char *pct = strchr(fmt, '%');

		if (!pct) {
			fmt_put(&out, fmt, strlen(fmt));
			break;
		}
		fmt_put(&out, fmt, pct - fmt);
		fmt = fmt_conversion(&out, pct, &ap);
	}
	va_end(ap);
	if (size)
		buf[out.len < size ? out.len : size - 1] = '\0';
	return out.len;
}

/**
 * compat_snprintf() - snprintf() with the kernel's %pS and %ps
 * @buf: where to write
 * @size: bytes of @buf
 * @fmt: a printf format
 *
 * Return: as compat_vsnprintf().
 */
int compat_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = compat_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/**
 * printk() - print a kernel message to stderr
 * @fmt: optional KERN_* level prefix, then a printf format (with %pS)
 *
 * Return: the number of characters printed (0 if filtered).
 */
int printk(const char *fmt, ...)
{
	char small[512], *msg = small;
	int level = 4;
	va_list ap;
	int len;

	if (fmt[0] == '<' && fmt[1] && fmt[2] == '>') {
		if (fmt[1] == 'c')
			level = __atomic_load_n(&printk_last_level,
						__ATOMIC_RELAXED);
		else if (fmt[1] >= '0' && fmt[1] <= '7')
			level = fmt[1] - '0';
		fmt += 3;
	}
	__atomic_store_n(&printk_last_level, level, __ATOMIC_RELAXED);
	if (level >= __atomic_load_n(&compat_console_loglevel, __ATOMIC_RELAXED))
		return 0;
	va_start(ap, fmt);
	len = compat_vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (len >= (int)sizeof(small)) {
		msg = malloc(len + 1);
		if (msg) {
			va_start(ap, fmt);
			compat_vsnprintf(msg, len + 1, fmt, ap);
			va_end(ap);
		} else {
			msg = small;
			len = sizeof(small) - 1;
		}
	}
	fwrite(msg, 1, len, stderr);
	if (msg != small)
		free(msg);
	return len;
}
