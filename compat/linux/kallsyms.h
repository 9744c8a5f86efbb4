/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/kallsyms.h>: code addresses to symbol
 * names, from the running executable's ELF symbol table
 * (compat/kallsyms.c).  printk()'s %pS and %ps use it.
 */
#ifndef _COMPAT_LINUX_KALLSYMS_H
#define _COMPAT_LINUX_KALLSYMS_H

#include <linux/types.h>

#define KSYM_NAME_LEN		512
/* "name+0xoff/0xsize": the name and two hex longs. */
#define KSYM_SYMBOL_LEN		(sizeof("%s+%#lx/%#lx") + KSYM_NAME_LEN + \
				 2 * (2 + 2 * sizeof(long)))

/* Documented at their definitions, in compat/kallsyms.c. */
int kallsyms_lookup_size_offset(unsigned long addr, unsigned long *symbolsize,
				unsigned long *offset);
int sprint_symbol(char *buffer, unsigned long address);
int sprint_symbol_no_offset(char *buffer, unsigned long address);

#endif /* _COMPAT_LINUX_KALLSYMS_H */
