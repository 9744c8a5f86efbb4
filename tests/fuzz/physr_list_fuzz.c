// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness: range-list operations against a reference model.
 *
 * The input is a program of operations on one list: append RAM, append
 * P2P (two providers over fake BARs), append from a page array, mark,
 * rollback, destroy, and -- at any point and at the end -- a check that
 * walks the list, a slice of it and its blocks and compares them, range by
 * range, with the model.  The model is an array of (address, length,
 * provider) kept merged by the documented rule: a range that starts where
 * the last ends, with the same provider, merges with it.  Errors are
 * predicted too (-EINVAL, -EOVERFLOW), and a failed call must leave the
 * list as it was; allocation failures are injected on some appends.
 *
 * ASan and UBSan are the other oracles.  A crash found becomes a case in
 * tests/physr_test.c.  `make fuzz` runs it for FUZZ_SECONDS; `make check`
 * runs its committed seeds (tests/fuzz/corpus/physr_list/) and a few
 * seconds more.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/p2pdma_provider.h>
#include <linux/physr.h>

#include "arch/sim/boot.h"

#define MODEL_MAX	4096
#define POOL_PAGES	48

struct model_range {
	u64 addr;
	u64 len;
	int prov;		/* -1: RAM; else an index into fuzz_prov */
};

struct model {
	struct model_range r[MODEL_MAX];
	unsigned int n;
	u64 len;
};

/* Two fake BARs, adjacent: ranges of one never merge with the other's. */
static struct p2pdma_provider fuzz_prov[2] = {
	{ .base = 0x100000000000ULL, .size = 1ULL << 32 },
	{ .base = 0x100100000000ULL, .size = 1ULL << 32 },
};

/* Pages for from_pages: a run of 16 contiguous pages, and singles. */
static struct page *pool[POOL_PAGES];

struct input {
	const u8 *p;
	size_t left;
};

static u64 take(struct input *in, unsigned int bytes)
{
	u64 v = 0;

	while (bytes--) {
		v <<= 8;
		if (in->left) {
			v |= *in->p++;
			in->left--;
		}
	}
	return v;
}

static void fuzz_die(const char *what)
{
	fprintf(stderr, "physr_list_fuzz: %s\n", what);
	abort();
}

/* ---- the model ---------------------------------------------------------- */

/* The model's answer to an append, and its effect. */
static int model_append(struct model *m, u64 addr, u64 len, int prov)
{
	struct model_range *last = m->n ? &m->r[m->n - 1] : NULL;
	u64 end;

	if (!len)
		return -EINVAL;
	if (len > PHYSR_MAX_LEN || __builtin_add_overflow(addr, len, &end) ||
	    m->len + len < m->len)
		return -EOVERFLOW;
	if (last && last->prov == prov && last->addr + last->len == addr) {
		last->len += len;
	} else {
		if (m->n == MODEL_MAX)
			return -E2BIG;	/* the harness's limit, not the list's */
		m->r[m->n++] = (struct model_range){ addr, len, prov };
	}
	m->len += len;
	return 0;
}

static int prov_index(const struct p2pdma_provider *p)
{
	if (!p)
		return -1;
	return p == &fuzz_prov[0] ? 0 : p == &fuzz_prov[1] ? 1 : -2;
}

/* ---- checks --------------------------------------------------------------- */

static void check_whole(const struct physr_list *list, const struct model *m)
{
	struct physr_iter it;
	struct physr r;
	unsigned int i = 0;

	if (physr_list_nr_ranges(list) != m->n || physr_list_len(list) != m->len)
		fuzz_die("counts differ from the model");
	physr_for_each(list, &it, &r) {
		if (i >= m->n || r.addr != m->r[i].addr || r.len != m->r[i].len ||
		    prov_index(physr_iter_provider(&it)) != m->r[i].prov)
			fuzz_die("a range differs from the model");
		i++;
	}
	if (i != m->n)
		fuzz_die("iteration ended early");
}

/* The model's ranges within [off, off + len), trimmed, compared with @v. */
static void check_view(const struct physr_view *v, const struct model *m,
		       u64 off, u64 len)
{
	struct physr_iter it;
	struct physr r;
	unsigned int i = 0;
	u64 pos = 0, seen = 0;

	/* Skip whole model ranges before the slice. */
	while (i < m->n && pos + m->r[i].len <= off)
		pos += m->r[i++].len;
	physr_view_for_each(v, &it, &r) {
		u64 skip = off > pos ? off - pos : 0;
		u64 want_len;

		if (i >= m->n)
			fuzz_die("view runs past the model");
		want_len = m->r[i].len - skip;
		if (want_len > len - seen)
			want_len = len - seen;
		if (r.addr != m->r[i].addr + skip || r.len != want_len ||
		    prov_index(physr_iter_provider(&it)) != m->r[i].prov)
			fuzz_die("a view range differs from the model");
		seen += r.len;
		pos += m->r[i++].len;
	}
	if (seen != len || physr_view_len(v) != len)
		fuzz_die("view length differs");
}

/*
 * Blocks of 2^@shift bytes: each inside one range and one aligned block.
 * Lists whose blocks would take long to walk (a 2^60-byte range in 4 KiB
 * blocks) are checked with the largest block size that keeps the walk
 * short.
 */
static void check_blocks(const struct physr_list *list, const struct model *m,
			 unsigned int shift)
{
	struct physr_block_iter bi;
	struct physr b;
	unsigned int i = 0;
	u64 in = 0, bs;

	while (shift < 62 && (m->len >> shift) > (1u << 16))
		shift++;
	bs = 1ULL << shift;

	physr_for_each_block(list, &bi, bs, &b) {
		const struct model_range *mr;

		if (i >= m->n)
			fuzz_die("blocks run past the model");
		mr = &m->r[i];
		if (b.addr != mr->addr + in || !b.len || b.len > mr->len - in ||
		    (b.addr & ~(bs - 1)) != ((b.addr + b.len - 1) & ~(bs - 1)))
			fuzz_die("a block differs from the model");
		/* Maximal: it ends at a block boundary or its range's end. */
		if (in + b.len != mr->len && ((b.addr + b.len) & (bs - 1)))
			fuzz_die("a block stops short");
		in += b.len;
		if (in == mr->len) {
			in = 0;
			i++;
		}
	}
	if (i != m->n)
		fuzz_die("blocks ended early");
}

/* ---- operations ----------------------------------------------------------- */

static gfp_t maybe_fail(struct input *in)
{
	u8 f = take(in, 1);

	if ((f & 0xf) == 0xf)
		fail_nth_set(1 + (f >> 4));
	return GFP_KERNEL;
}

static void op_append(struct physr_list *list, struct model *m,
		      struct input *in, int prov)
{
	u8 how = take(in, 1);
	u64 addr, len;
	gfp_t gfp;
	int want, got;

	/* Lengths: pages mostly, odd bytes, and huge ones now and then. */
	switch (how & 3) {
	case 0:
	case 1:
		len = (take(in, 1) % 16 + 1) << PAGE_SHIFT;
		break;
	case 2:
		len = take(in, 2);
		break;
	default:
		len = take(in, 8);
		break;
	}
	/* Addresses: mostly where the last range ends, so merges happen. */
	addr = take(in, 8);
	if (!(how & 0x30) && m->n)
		addr = m->r[m->n - 1].addr + m->r[m->n - 1].len;
	else if ((how & 0x30) == 0x10)
		addr &= PAGE_MASK & ((1ULL << 40) - 1);
	struct model save_n = { .n = m->n, .len = m->len };
	struct model_range last = m->n ? m->r[m->n - 1] : (struct model_range){};

	if (prov >= 0 && (how & 0x30)) {
		/* Mostly inside the BAR; sometimes across its end. */
		addr = fuzz_prov[prov].base + (addr % fuzz_prov[prov].size);
		if (!(take(in, 1) & 7))
			len = fuzz_prov[prov].size;
	}
	gfp = maybe_fail(in);
	if (prov >= 0 && (addr + len < addr || len == 0 ||
			  addr < fuzz_prov[prov].base ||
			  addr + len > fuzz_prov[prov].base + fuzz_prov[prov].size)) {
		want = -EINVAL;
	} else {
		want = model_append(m, addr, len, prov);
	}
	if (want == -E2BIG) {
		fail_nth_set(0);
		return;
	}
	got = prov >= 0 ? physr_list_append_p2p(list, &fuzz_prov[prov], addr,
						len, gfp) :
			  physr_list_append(list, addr, len, gfp);
	if (fail_nth_triggered()) {
		if (got != -ENOMEM)
			fuzz_die("an injected failure was not -ENOMEM");
		if (!want) {	/* undo the model */
			m->n = save_n.n;
			m->len = save_n.len;
			if (m->n)
				m->r[m->n - 1] = last;
		}
		want = -ENOMEM;
	}
	fail_nth_set(0);
	if (got != want) {
		fprintf(stderr, "append(%#llx, %#llx, prov %d): %d, model %d\n",
			(unsigned long long)addr, (unsigned long long)len, prov,
			got, want);
		fuzz_die("an append's result differs from the model");
	}
	check_whole(list, m);
}

static void op_from_pages(struct physr_list *list, struct model *m,
			  struct input *in)
{
	unsigned int n = 1 + take(in, 1) % 16, i;
	struct page *pages[16];
	u64 offset = take(in, 2) % PAGE_SIZE;
	u64 size = 1 + take(in, 3) % (n * PAGE_SIZE - offset);
	struct model save = { .n = m->n, .len = m->len };
	struct model_range last = m->n ? m->r[m->n - 1] : (struct model_range){};
	u64 done = 0;
	int want = 0, got;

	for (i = 0; i < n; i++)
		pages[i] = pool[take(in, 1) % POOL_PAGES];
	/* The model: each page's piece, merged by the rule. */
	for (i = 0; done < size; i++) {
		u64 in_page = i ? 0 : offset;
		u64 piece = PAGE_SIZE - in_page;

		if (piece > size - done)
			piece = size - done;
		want = model_append(m, page_to_phys(pages[i]) + in_page, piece,
				    -1);
		if (want)
			break;
		done += piece;
	}
	if (want == -E2BIG) {
		m->n = save.n;
		m->len = save.len;
		if (m->n)
			m->r[m->n - 1] = last;
		return;
	}
	maybe_fail(in);
	got = physr_list_from_pages(list, pages, n, offset, size, GFP_KERNEL);
	if (fail_nth_triggered()) {
		if (got != -ENOMEM)
			fuzz_die("an injected failure was not -ENOMEM");
		m->n = save.n;
		m->len = save.len;
		if (m->n)
			m->r[m->n - 1] = last;
		want = -ENOMEM;
	}
	fail_nth_set(0);
	if (got != want)
		fuzz_die("from_pages' result differs from the model");
	check_whole(list, m);
}

static void op_slice(const struct physr_list *list, const struct model *m,
		     struct input *in)
{
	u64 off = m->len ? take(in, 8) % (m->len + 1) : 0;
	u64 len = m->len - off ? take(in, 8) % (m->len - off + 1) : 0;
	struct physr_view v;
	int got = physr_list_slice(list, off, len, &v);

	if (!len) {
		if (!got && physr_view_len(&v))
			fuzz_die("an empty slice is not empty");
		return;
	}
	if (got)
		fuzz_die("a slice inside the list failed");
	check_view(&v, m, off, len);
	if (!physr_list_slice(list, off, m->len - off + 1, &v))
		fuzz_die("a slice past the end succeeded");
}

static void fuzz_init_pool(void)
{
	struct page *run = alloc_pages(GFP_KERNEL, 4);
	unsigned int i;

	if (!run)
		fuzz_die("no pages");
	for (i = 0; i < 16; i++)
		pool[i] = run + i;
	for (; i < POOL_PAGES; i++) {
		pool[i] = alloc_page(GFP_KERNEL);
		if (!pool[i])
			fuzz_die("no pages");
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerInitialize(int *argc __attribute__((unused)),
			 char ***argv __attribute__((unused)))
{
	if (machine_boot(NULL))
		fuzz_die("machine_boot failed");
	fuzz_init_pool();
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct model m;
	struct input in = { data, size };
	struct physr_list list = PHYSR_LIST_INIT;
	static struct model marked;
	struct physr_list_mark mark;
	bool have_mark = false;
	unsigned int ops = 0;

	m.n = 0;
	m.len = 0;
	while (in.left && ops++ < 256) {
		switch (take(&in, 1) % 9) {
		case 0:
		case 1:
			op_append(&list, &m, &in, -1);
			break;
		case 2:
			op_append(&list, &m, &in, take(&in, 1) & 1);
			break;
		case 3:
			op_from_pages(&list, &m, &in);
			break;
		case 4:
			physr_list_mark(&list, &mark);
			memcpy(&marked, &m, sizeof(m));
			have_mark = true;
			break;
		case 5:
			if (!have_mark)
				break;
			physr_list_rollback(&list, &mark);
			memcpy(&m, &marked, sizeof(m));
			have_mark = false;
			check_whole(&list, &m);
			break;
		case 6:
			op_slice(&list, &m, &in);
			break;
		case 7:
			check_blocks(&list, &m, 12 + take(&in, 1) % 20);
			break;
		case 8:
			physr_list_destroy(&list);
			m.n = 0;
			m.len = 0;
			have_mark = false;
			break;
		}
	}
	check_whole(&list, &m);
	check_blocks(&list, &m, PAGE_SHIFT);
	physr_list_destroy(&list);
	return 0;
}
