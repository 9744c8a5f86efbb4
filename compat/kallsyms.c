// SPDX-License-Identifier: GPL-2.0
/*
 * kallsyms for userspace builds: turn a code address into a symbol, as
 * the kernel's %pS does ("dma_debug_leak+0x8c/0x2a0"), from the running
 * executable's own ELF symbol table.
 *
 * The table is read once, on first use, from /proc/self/exe: every
 * function symbol (STT_FUNC, the local ones included, so that static
 * functions resolve as they do in the kernel's kallsyms) with its address
 * and size, sorted by address.  Addresses in the file are link-time
 * ones; the executable is position independent, so the load bias that
 * dl_iterate_phdr() reports for the main program is added.  A lookup is a
 * binary search.  The table is the environment's, not the code under
 * test's: it comes from malloc(), not kmalloc(), so it is neither counted
 * nor fault-injected, and lives until exit.
 *
 * An address outside the executable (the C library, a sanitizer's
 * runtime) or in a stripped binary has no symbol; sprint_symbol() then
 * prints it in hex, as the kernel does for an address kallsyms does not
 * know.
 */
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/kallsyms.h>
#include <linux/minmax.h>

struct ksym {
	unsigned long addr;
	unsigned long size;
	const char *name;
};

static struct {
	struct ksym *syms;
	size_t nr;
	char *strtab;
} ksyms;

static pthread_once_t ksyms_once = PTHREAD_ONCE_INIT;

/* The main program comes first: its load bias is the first one reported. */
static int ksyms_bias_cb(struct dl_phdr_info *info, size_t size, void *data)
{
	(void)size;
	*(unsigned long *)data = info->dlpi_addr;
	return 1;
}

static int ksyms_cmp(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return strcmp(x->name, y->name);
}

static bool ksyms_pread(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n;

	while (len) {
		n = pread(fd, buf, len, off);
		if (n <= 0)
			return false;
		buf = (char *)buf + n;
		len -= n;
		off += n;
	}
	return true;
}

/* Read @len bytes at @off into a new buffer; NULL on failure. */
static void *ksyms_read(int fd, size_t len, off_t off)
{
	void *buf = malloc(len ? len : 1);

	if (buf && !ksyms_pread(fd, buf, len, off)) {
		free(buf);
		buf = NULL;
	}
	return buf;
}

/* Keep the function symbols of @symtab; @strtab holds their names. */
static void ksyms_collect(const ElfW(Sym) *symtab, size_t nr_syms,
			  char *strtab, size_t strsz, unsigned long bias)
{
	size_t i, n = 0;

	ksyms.syms = malloc((nr_syms ? nr_syms : 1) * sizeof(*ksyms.syms));
	if (!ksyms.syms)
		return;
	for (i = 0; i < nr_syms; i++) {
		const ElfW(Sym) *s = &symtab[i];

		if (ELF64_ST_TYPE(s->st_info) != STT_FUNC ||
		    s->st_shndx == SHN_UNDEF || !s->st_value || !s->st_size ||
		    s->st_name >= strsz)
			continue;
		ksyms.syms[n].addr = s->st_value + bias;
		ksyms.syms[n].size = s->st_size;
		ksyms.syms[n].name = strtab + s->st_name;
		n++;
	}
	qsort(ksyms.syms, n, sizeof(*ksyms.syms), ksyms_cmp);
	ksyms.nr = n;
	ksyms.strtab = strtab;
}

/* Load the symbol table of the running executable, once. */
static void ksyms_load(void)
{
	ElfW(Shdr) *shdrs = NULL;
	ElfW(Sym) *symtab = NULL;
	unsigned long bias = 0;
	char *strtab = NULL;
	const ElfW(Shdr) *sym = NULL, *str;
	ElfW(Ehdr) eh;
	unsigned int i;
	int fd;

	fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (!ksyms_pread(fd, &eh, sizeof(eh), 0) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != (sizeof(long) == 8 ? ELFCLASS64 : ELFCLASS32) ||
	    eh.e_shentsize != sizeof(ElfW(Shdr)) || !eh.e_shnum)
		goto out_close;
	shdrs = ksyms_read(fd, (size_t)eh.e_shnum * sizeof(*shdrs), eh.e_shoff);
	if (!shdrs)
		goto out_close;
	/* The full table if there is one, else the dynamic one. */
	for (i = 0; i < eh.e_shnum; i++) {
		if (shdrs[i].sh_type == SHT_SYMTAB)
			sym = &shdrs[i];
		else if (shdrs[i].sh_type == SHT_DYNSYM && !sym)
			sym = &shdrs[i];
	}
	if (!sym || sym->sh_link >= eh.e_shnum ||
	    sym->sh_entsize != sizeof(ElfW(Sym)))
		goto out_free;
	str = &shdrs[sym->sh_link];
	symtab = ksyms_read(fd, sym->sh_size, sym->sh_offset);
	strtab = ksyms_read(fd, str->sh_size, str->sh_offset);
	if (!symtab || !strtab || !str->sh_size)
		goto out_free;
	strtab[str->sh_size - 1] = '\0';
	dl_iterate_phdr(ksyms_bias_cb, &bias);
	ksyms_collect(symtab, sym->sh_size / sizeof(*symtab), strtab,
		      str->sh_size, bias);
	if (ksyms.syms)
		strtab = NULL;		/* the table's names point into it */
out_free:
	free(strtab);
	free(symtab);
	free(shdrs);
out_close:
	close(fd);
}

/* The function that holds @addr, or NULL. */
static const struct ksym *ksyms_find(unsigned long addr)
{
	size_t lo = 0, hi;

	pthread_once(&ksyms_once, ksyms_load);
	hi = ksyms.nr;
	/* The last symbol that starts at or below @addr. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ksyms.syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || addr - ksyms.syms[lo - 1].addr >= ksyms.syms[lo - 1].size)
		return NULL;
	return &ksyms.syms[lo - 1];
}

/**
 * kallsyms_lookup_size_offset() - where in its function an address is
 * @addr: the address
 * @symbolsize: set to the function's size, if found (may be NULL)
 * @offset: set to @addr's offset in it, if found (may be NULL)
 *
 * Return: 1 if @addr is inside a function of the executable, else 0.
 */
int kallsyms_lookup_size_offset(unsigned long addr, unsigned long *symbolsize,
				unsigned long *offset)
{
	const struct ksym *s = ksyms_find(addr);

	if (!s)
		return 0;
	if (symbolsize)
		*symbolsize = s->size;
	if (offset)
		*offset = addr - s->addr;
	return 1;
}

/*
 * What snprintf() into a KSYM_SYMBOL_LEN buffer wrote: it returns the
 * length it would have written, which a truncation makes larger.
 */
static int ksym_written(int n)
{
	if (n < 0)
		return 0;
	return min_t(int, n, KSYM_SYMBOL_LEN - 1);
}

/**
 * sprint_symbol() - an address as "function+0xoff/0xsize", as %pS prints it
 * @buffer: at least KSYM_SYMBOL_LEN bytes
 * @address: the address
 *
 * An address in no known function prints as "0x..." in hex.
 *
 * Return: the length of the string written (without its NUL), never more
 * than KSYM_SYMBOL_LEN - 1.
 */
int sprint_symbol(char *buffer, unsigned long address)
{
	const struct ksym *s = ksyms_find(address);

	if (!s)
		return ksym_written(snprintf(buffer, KSYM_SYMBOL_LEN, "0x%lx",
					     address));
	return ksym_written(snprintf(buffer, KSYM_SYMBOL_LEN, "%.*s+%#lx/%#lx",
				     KSYM_NAME_LEN - 1, s->name,
				     address - s->addr, s->size));
}

/**
 * sprint_symbol_no_offset() - an address as its function's name, as %ps
 * @buffer: at least KSYM_SYMBOL_LEN bytes
 * @address: the address
 *
 * Return: the length of the string written ("0x..." for an address in no
 * known function).
 */
int sprint_symbol_no_offset(char *buffer, unsigned long address)
{
	const struct ksym *s = ksyms_find(address);

	if (!s)
		return ksym_written(snprintf(buffer, KSYM_SYMBOL_LEN, "0x%lx",
					     address));
	return ksym_written(snprintf(buffer, KSYM_SYMBOL_LEN, "%.*s",
				     KSYM_NAME_LEN - 1, s->name));
}
