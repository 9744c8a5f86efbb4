// SPDX-License-Identifier: GPL-2.0
/*
 * physr: lists of physical address ranges.
 *
 * A list is a chain of chunks, each a small header followed by 64-bit
 * words.  The first chunk holds 48 bytes (room for one two-word entry) and
 * each new one is four times larger, up to 4 KiB; from then on every chunk
 * is 4 KiB.  So a one-range
 * list costs one small allocation, a large list is made of page-sized
 * pieces and never needs one big contiguous allocation, and the fixed
 * header cost (32 bytes per 4 KiB chunk) stays under 1%.
 *
 * The words hold entries (their layout is at the end of
 * include/linux/physr.h):
 *
 *  - compact: one word, PFN and page count, for a page-aligned range of at
 *    most 2^22 pages (16 GiB) below 2^52.  This is the common case: a
 *    page-aligned range costs 8 bytes plus its share of the chunk header.
 *  - long: two words, length then address, for anything else (an unaligned
 *    first or last range, huge or very high ranges).
 *  - provider: two words, switching the P2P provider of the entries that
 *    follow.  The provider in force at a chunk's first word is kept in the
 *    chunk header so that a seek need not scan from the start.
 *
 * One range may be spread over several entries: appending a range that
 * starts where the last one ends, with the same provider, first tries to
 * grow the last entry in place; when that entry cannot grow (a compact
 * entry is full, or the new piece is not page-aligned) a new entry is
 * written and the MORE bit of the previous one is set.  Readers join an
 * entry to the next while MORE is set, so they always see maximal ranges,
 * and the list's range count counts ranges, not entries.  A MORE chain
 * never holds a provider entry, but may cross a chunk boundary.
 *
 * An append writes its words only after every allocation it needs has
 * succeeded, so a failed append leaves the list as it was.  A multi-range
 * operation (physr_list_from_pages(), GUP) takes a mark first and rolls the
 * list back to it on failure.
 *
 * Conventions: every length here is in bytes and never zero; "end" is
 * exclusive (addr + len) and is checked for overflow once, when a range
 * is appended, so later sums of a stored range cannot overflow.
 */
#include <linux/physr.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/p2pdma_provider.h>	/* not PCI: the bottom layer */
#include <linux/slab.h>

#define PHYSR_CHUNK_MIN		48
#define PHYSR_CHUNK_MAX		4096
#define PHYSR_CHUNK_GROWTH	4

#define PHYSR_LONG_LEN_MASK	((1ULL << 61) - 1)
#define PHYSR_NPAGES_MASK	((1ULL << __PHYSR_NPAGES_BITS) - 1)
#define PHYSR_COMPACT_MAX_PAGES	BIT_ULL(__PHYSR_NPAGES_BITS)

/* One decoded range entry (not a provider entry). */
struct physr_entry {
	phys_addr_t addr;
	u64 len;
	bool more;
	unsigned int words;
};

static inline bool physr_word_is_provider(u64 w)
{
	return (w & (__PHYSR_TAG_LONG | __PHYSR_TAG_PROVIDER)) ==
	       (__PHYSR_TAG_LONG | __PHYSR_TAG_PROVIDER);
}

static inline void physr_decode(const u64 *pos, struct physr_entry *e)
{
	u64 w = pos[0];

	e->more = w & __PHYSR_MORE;
	if (w & __PHYSR_TAG_LONG) {
		e->len = w & PHYSR_LONG_LEN_MASK;
		e->addr = pos[1];
		e->words = 2;
	} else {
		e->len = (((w >> __PHYSR_PFN_BITS) & PHYSR_NPAGES_MASK) + 1)
			 << PAGE_SHIFT;
		e->addr = (w & __PHYSR_PFN_MASK) << PAGE_SHIFT;
		e->words = 1;
	}
}

static inline bool physr_fits_compact(phys_addr_t addr, u64 len)
{
	return !((addr | len) & ~PAGE_MASK) &&
	       (addr >> PAGE_SHIFT) <= __PHYSR_PFN_MASK &&
	       (len >> PAGE_SHIFT) <= PHYSR_COMPACT_MAX_PAGES;
}

static size_t physr_next_chunk_size(const struct physr_list *list)
{
	size_t size;

	if (!list->tail)
		return PHYSR_CHUNK_MIN;
	size = sizeof(*list->tail) + list->tail->capacity * sizeof(u64);
	return min_t(size_t, size * PHYSR_CHUNK_GROWTH, PHYSR_CHUNK_MAX);
}

/*
 * Make room for @need words in the tail chunk, adding a chunk (allocated
 * with @gfp) if needed.
 */
static int physr_reserve(struct physr_list *list, unsigned int need,
			 gfp_t gfp)
{
	struct physr_chunk *tail = list->tail;
	struct physr_chunk *chunk;
	size_t size;

	if (tail && tail->capacity - tail->nr_words >= need)
		return 0;

	size = max(physr_next_chunk_size(list),
		   sizeof(*chunk) + need * sizeof(u64));
	chunk = kmalloc(size, gfp);
	if (!chunk)
		return -ENOMEM;
	chunk->next = NULL;
	chunk->provider = list->provider;
	chunk->len = 0;
	chunk->nr_words = 0;
	chunk->capacity = (size - sizeof(*chunk)) / sizeof(u64);

	if (tail)
		tail->next = chunk;
	else
		list->head = chunk;
	list->tail = chunk;
	list->heap_bytes += size;
	return 0;
}

/* Grow the last entry by [@addr, @addr + @len), which directly follows it. */
static bool physr_extend_last(struct physr_list *list, phys_addr_t addr,
			      u64 len)
{
	u64 w = *list->last;
	u64 cur;

	if (w & __PHYSR_TAG_LONG) {
		cur = w & PHYSR_LONG_LEN_MASK;
		if (len > PHYSR_LONG_LEN_MASK - cur)
			return false;
		*list->last = (w & ~PHYSR_LONG_LEN_MASK) | (cur + len);
		return true;
	}

	if ((addr | len) & ~PAGE_MASK)
		return false;
	cur = ((w >> __PHYSR_PFN_BITS) & PHYSR_NPAGES_MASK) + 1;
	if ((len >> PAGE_SHIFT) > PHYSR_COMPACT_MAX_PAGES - cur)
		return false;
	cur += len >> PAGE_SHIFT;
	*list->last = (w & ~(PHYSR_NPAGES_MASK << __PHYSR_PFN_BITS)) |
		      ((cur - 1) << __PHYSR_PFN_BITS);
	return true;
}

static void physr_push(struct physr_list *list, u64 w0, u64 w1,
		       unsigned int words)
{
	struct physr_chunk *tail = list->tail;
	u64 *pos = &tail->words[tail->nr_words];

	pos[0] = w0;
	if (words > 1)
		pos[1] = w1;
	tail->nr_words += words;
}

static int __physr_list_append(struct physr_list *list,
			       struct p2pdma_provider *provider,
			       phys_addr_t addr, u64 len, gfp_t gfp)
{
	bool new_provider = provider != list->provider;
	bool adjacent = list->last && !new_provider && addr == list->last_end;
	bool compact = physr_fits_compact(addr, len);
	unsigned int need = (compact ? 1 : 2) + (new_provider ? 2 : 0);
	phys_addr_t end;
	u64 total;
	int ret;

	if (unlikely(!len))
		return -EINVAL;
	if (unlikely(len > PHYSR_MAX_LEN || check_add_overflow(addr, len, &end) ||
		     check_add_overflow(list->len, len, &total)))
		return -EOVERFLOW;

	if (adjacent && physr_extend_last(list, addr, len))
		goto account;

	ret = physr_reserve(list, need, gfp);
	if (ret)
		return ret;

	if (new_provider) {
		physr_push(list, __PHYSR_TAG_LONG | __PHYSR_TAG_PROVIDER,
			   (u64)(uintptr_t)provider, 2);
		list->provider = provider;
		list->has_p2p |= !!provider;
	}
	if (adjacent)
		*list->last |= __PHYSR_MORE;
	else
		list->nr_ranges++;

	list->last = &list->tail->words[list->tail->nr_words];
	if (compact)
		physr_push(list, (addr >> PAGE_SHIFT) |
			   (((len >> PAGE_SHIFT) - 1) << __PHYSR_PFN_BITS), 0, 1);
	else
		physr_push(list, __PHYSR_TAG_LONG | len, addr, 2);

account:
	list->tail->len += len;
	list->len = total;
	list->last_end = end;
	return 0;
}

/**
 * physr_list_append() - append a range of system RAM
 * @list: the list
 * @addr: physical address of the first byte
 * @len: length in bytes
 * @gfp: flags for the storage the list may allocate (a new chunk): as for
 *	kmalloc(), GFP_KERNEL where the caller may sleep
 *
 * A range that starts where the last one ends, and is RAM too, merges with
 * it.
 *
 * Return: 0; -EINVAL if @len is zero; -EOVERFLOW if @addr + @len wraps,
 * @len exceeds PHYSR_MAX_LEN or the list would describe 2^64 bytes or more;
 * -ENOMEM.  On error the list is unchanged.
 */
int physr_list_append(struct physr_list *list, phys_addr_t addr, u64 len,
		      gfp_t gfp)
{
	return __physr_list_append(list, NULL, addr, len, gfp);
}
EXPORT_SYMBOL_GPL(physr_list_append);

/**
 * physr_list_append_p2p() - append a range of PCI peer memory
 * @list: the list
 * @provider: the owner of the memory, or NULL for system RAM
 * @addr: CPU physical address of the first byte
 * @len: length in bytes
 * @gfp: flags for the storage the list may allocate
 *
 * The provider is recorded once per run of ranges that share it.  Ranges
 * merge only when adjacent and of the same provider.  The list holds no
 * reference on the provider: the caller keeps it valid for as long as
 * the list is mapped or its providers are read (<linux/pci-p2pdma.h>).
 *
 * Return: as physr_list_append(); -EINVAL also if the range is not all
 * inside @provider's memory (p2pdma_provider_contains()).
 */
int physr_list_append_p2p(struct physr_list *list,
			  struct p2pdma_provider *provider,
			  phys_addr_t addr, u64 len, gfp_t gfp)
{
	if (provider && !p2pdma_provider_contains(provider, addr, len))
		return -EINVAL;
	return __physr_list_append(list, provider, addr, len, gfp);
}
EXPORT_SYMBOL_GPL(physr_list_append_p2p);

/**
 * physr_list_destroy() - free a list's storage
 * @list: the list
 *
 * The list is left empty and may be reused.
 */
void physr_list_destroy(struct physr_list *list)
{
	struct physr_chunk *chunk = list->head;

	while (chunk) {
		struct physr_chunk *next = chunk->next;

		kfree(chunk);
		chunk = next;
	}
	physr_list_init(list);
}
EXPORT_SYMBOL_GPL(physr_list_destroy);

/**
 * physr_list_mark() - remember a list's current end
 * @list: the list
 * @mark: filled in
 *
 * An operation that appends many ranges marks the list first and calls
 * physr_list_rollback() if it fails part way, so the caller sees the list
 * as it was.
 */
void physr_list_mark(const struct physr_list *list,
		     struct physr_list_mark *mark)
{
	mark->list = *list;
	mark->tail_words = list->tail ? list->tail->nr_words : 0;
	mark->tail_len = list->tail ? list->tail->len : 0;
	mark->last_word = list->last ? *list->last : 0;
}
EXPORT_SYMBOL_GPL(physr_list_mark);

/**
 * physr_list_rollback() - drop everything appended since a mark
 * @list: the list
 * @mark: taken by physr_list_mark() on this list, with no rollback or
 *	destroy since
 *
 * Frees the chunks added since the mark and restores the entry that the
 * appends may have grown.
 */
void physr_list_rollback(struct physr_list *list,
			 const struct physr_list_mark *mark)
{
	struct physr_chunk *tail = mark->list.tail;
	struct physr_chunk *chunk = tail ? tail->next : list->head;

	while (chunk) {
		struct physr_chunk *next = chunk->next;

		kfree(chunk);
		chunk = next;
	}
	*list = mark->list;
	if (tail) {
		tail->next = NULL;
		tail->nr_words = mark->tail_words;
		tail->len = mark->tail_len;
	}
	if (list->last)
		*list->last = mark->last_word;
}
EXPORT_SYMBOL_GPL(physr_list_rollback);

/*
 * Append @nr physically contiguous pages of @provider (NULL: RAM) from
 * @page, less the trimmed edges.
 */
static int physr_append_page_run(struct physr_list *list,
				 struct p2pdma_provider *provider,
				 struct page *page, unsigned long nr,
				 u64 head_skip, u64 tail_cut, gfp_t gfp)
{
	phys_addr_t addr = PFN_PHYS(page_to_pfn(page)) + head_skip;
	u64 len = ((u64)nr << PAGE_SHIFT) - head_skip - tail_cut;

	return __physr_list_append(list, provider, addr, len, gfp);
}

/*
 * memremap_pages() gives device memory struct pages in whole memory
 * subsections only: SUBSECTION_SHIFT is 21 on every architecture, but
 * <linux/mmzone.h> defines it only with SPARSEMEM, the one memory model
 * ZONE_DEVICE exists in.  So the pages of one subsection are all RAM (or
 * a hole) or all of one pagemap, and one struct page tells for all of it.
 */
#define PHYSR_SUBSECTION_PAGES	(1UL << (21 - PAGE_SHIFT))

/*
 * Where the run [@i, @j) of physically consecutive pages (@pfn at @i), all
 * of @provider's as far as it reaches into @pfn's subsection, stops being
 * @provider's: the first page of each further subsection it enters is
 * read, and no other.
 */
static __always_inline unsigned long
physr_pages_cut(struct page **pages, unsigned long i, unsigned long j,
		unsigned long pfn, struct p2pdma_provider *provider)
{
	unsigned long b;

	b = i + PHYSR_SUBSECTION_PAGES - (pfn & (PHYSR_SUBSECTION_PAGES - 1));
	for (; b < j; b += PHYSR_SUBSECTION_PAGES)
		if (pci_p2pdma_page_provider(pages[b]) != provider)
			return b;
	return j;
}

/*
 * The end of the run of physically consecutive pages that starts at
 * @pages[@i] (PFN @pfn): the first index after it, at most @last + 1.
 * Eight pages at a time, tested together without a branch each: a
 * large folio is long runs, and the test, not the load, was the cost.
 * Pages are compared by page_to_pfn(), never by pfn_to_page() of a PFN
 * that may have no struct page; a NULL entry counts as a PFN that no
 * page has, so it simply does not match, and the page-by-page test then
 * finds it.  The pages themselves are not read.
 */
static unsigned long __physr_pages_run_end(struct page **pages,
					   unsigned long i, unsigned long last,
					   unsigned long pfn)
{
	unsigned long j = i + 2, k;

	for (; j + 8 <= last + 1; j += 8) {
		unsigned long diff = 0;

		for (k = 0; k < 8; k++) {
			const struct page *p = pages[j + k];

			diff |= (p ? page_to_pfn(p) : ~0UL) ^ (pfn + (j + k - i));
		}
		if (diff)
			break;
	}
	while (j <= last && pages[j] && page_to_pfn(pages[j]) == pfn + (j - i))
		j++;
	return j;
}

/* Scattered pages end their run at once: test one inline, then eight. */
static __always_inline unsigned long
physr_pages_run_end(struct page **pages, unsigned long i, unsigned long last,
		    unsigned long pfn)
{
	if (i + 1 > last || !pages[i + 1] ||
	    page_to_pfn(pages[i + 1]) != pfn + 1)
		return i + 1;
	return __physr_pages_run_end(pages, i, last, pfn);
}

/*
 * The inner loop of building from pages: append the runs of whole pages
 * of RAM from @pages[*@i] on that become new compact entries in the room
 * left in the tail chunk, stopping before the run that holds @last (its
 * end may be trimmed) and at anything else (a NULL entry, a run that
 * merges with the one before, a full chunk, a P2P page, the limits),
 * which the general append takes.  The list's counters live in registers
 * meanwhile: kept in the list, every entry waited on the store of the
 * one before.
 */
static __always_inline void physr_append_page_runs(struct physr_list *list,
						   struct page **pages,
						   unsigned long *i,
						   unsigned long last)
{
	struct physr_chunk *tail = list->tail;
	u64 total = list->len, added = 0, nr_ranges = 0;
	phys_addr_t last_end = list->last_end;
	unsigned long k = *i, pfn, j;
	u64 *words, *pos, *end;

	if (!tail || list->provider)
		return;
	words = tail->words;
	pos = words + tail->nr_words;
	end = words + tail->capacity;
	while (pos < end && pages[k]) {
		u64 len;

		if (unlikely(pci_p2pdma_page_provider(pages[k])))
			break;
		pfn = page_to_pfn(pages[k]);
		j = physr_pages_run_end(pages, k, last, pfn);
		j = physr_pages_cut(pages, k, j, pfn, NULL);
		len = (u64)(j - k) << PAGE_SHIFT;
		if (unlikely(j > last || PFN_PHYS(pfn) == last_end ||
			     pfn > __PHYSR_PFN_MASK ||
			     j - k > PHYSR_COMPACT_MAX_PAGES ||
			     len > U64_MAX - total - added))
			break;
		*pos++ = pfn | ((u64)(j - k - 1) << __PHYSR_PFN_BITS);
		added += len;
		last_end = PFN_PHYS(pfn) + len;
		nr_ranges++;
		k = j;
	}
	if (!nr_ranges)
		return;
	tail->nr_words = pos - words;
	tail->len += added;
	list->last = pos - 1;
	list->last_end = last_end;
	list->len = total + added;
	list->nr_ranges += nr_ranges;
	*i = k;
}

/**
 * physr_list_from_pages() - append the memory of a page array
 * @list: the list, empty or not
 * @pages: the pages, in buffer order
 * @nr_pages: number of entries in @pages
 * @offset: where the buffer starts, in bytes from the start of @pages[0]
 * @size: length of the buffer in bytes
 * @gfp: flags for the storage the list may allocate
 *
 * Describes the buffer of @size bytes that starts @offset bytes into the
 * memory of @pages, as sg_alloc_table_from_pages() would: runs of
 * physically consecutive pages become one range.  Only the pages the
 * buffer touches are read.  P2PDMA pages (pci_p2pdma_add_resource())
 * are appended with their BAR's provider (pci_p2pdma_page_provider()),
 * as physr_list_append_p2p() would; a range never holds pages of two
 * providers, or of a provider and RAM.  Struct pages are read only where
 * that may change: the first page of each run, and the first page of
 * each further memory subsection a run enters (device memory has struct
 * pages in whole subsections only).
 *
 * Return: 0; -EINVAL if @size is zero, the buffer runs past @nr_pages, or
 * a page it touches is NULL; -ENOMEM.  On error the list is as it was.
 */
int physr_list_from_pages(struct physr_list *list, struct page **pages,
			  unsigned long nr_pages, unsigned long offset,
			  u64 size, gfp_t gfp)
{
	struct physr_list_mark mark;
	unsigned long first, last, i;
	u64 end, avail;
	int ret = 0;

	if (!size || !pages)
		return -EINVAL;
	if (check_add_overflow((u64)offset, size, &end) ||
	    check_mul_overflow((u64)nr_pages, (u64)PAGE_SIZE, &avail) ||
	    end > avail)
		return -EINVAL;
	first = offset >> PAGE_SHIFT;
	last = (end - 1) >> PAGE_SHIFT;

	physr_list_mark(list, &mark);
	for (i = first; i <= last;) {
		struct p2pdma_provider *provider;
		struct page *page = pages[i];
		unsigned long pfn, j;

		if (!page)
			goto err_inval;
		pfn = page_to_pfn(page);
		provider = pci_p2pdma_page_provider(page);
		j = physr_pages_run_end(pages, i, last, pfn);
		j = physr_pages_cut(pages, i, j, pfn, provider);
		if (j <= last && !pages[j])
			goto err_inval;
		ret = physr_append_page_run(list, provider, page, j - i,
					    i == first ? offset & ~PAGE_MASK : 0,
					    j > last ? -end & ~PAGE_MASK : 0,
					    gfp);
		if (ret)
			goto err_rollback;
		i = j;
		if (i <= last)
			physr_append_page_runs(list, pages, &i, last);
	}
	return 0;

err_inval:
	ret = -EINVAL;
err_rollback:
	physr_list_rollback(list, &mark);
	return ret;
}
EXPORT_SYMBOL_GPL(physr_list_from_pages);

/**
 * physr_list_slice() - make a view of part of a list
 * @list: the list
 * @offset: where the view starts, in bytes from the start of the list
 * @len: length of the view in bytes
 * @view: filled in
 *
 * The view's first and last ranges are trimmed to the slice.  Finding the
 * start walks the chunk headers, then at most one chunk's entries.
 *
 * Return: 0, or -EINVAL if @len is zero or the slice is not inside the
 * list.
 */
int physr_list_slice(const struct physr_list *list, u64 offset, u64 len,
		     struct physr_view *view)
{
	const struct physr_chunk *chunk = list->head;
	struct p2pdma_provider *provider;
	struct physr_entry e;
	const u64 *pos;
	u64 end;

	if (!len || check_add_overflow(offset, len, &end) || end > list->len)
		return -EINVAL;

	while (offset >= chunk->len) {
		offset -= chunk->len;
		chunk = chunk->next;
	}

	provider = chunk->provider;
	for (pos = chunk->words;; pos += e.words) {
		if (physr_word_is_provider(*pos)) {
			provider = (struct p2pdma_provider *)(uintptr_t)pos[1];
			e.words = 2;
			continue;
		}
		physr_decode(pos, &e);
		if (offset < e.len)
			break;
		offset -= e.len;
	}

	view->chunk = chunk;
	view->word = pos - chunk->words;
	view->provider = provider;
	view->has_p2p = list->has_p2p;
	view->skip = offset;
	view->len = len;
	return 0;
}
EXPORT_SYMBOL_GPL(physr_list_slice);

/**
 * physr_iter_init() - start iterating over a list
 * @it: the iterator
 * @list: the list
 */
void physr_iter_init(struct physr_iter *it, const struct physr_list *list)
{
	it->chunk = list->head;
	/* pos == end sends the first step down the out-of-line path. */
	it->pos = list->head ? list->head->words : NULL;
	it->end = it->pos;
	it->provider = list->head ? list->head->provider : NULL;
	it->skip = 0;
	it->remaining = list->len;
}
EXPORT_SYMBOL_GPL(physr_iter_init);

/**
 * physr_iter_init_view() - start iterating over a view
 * @it: the iterator
 * @view: the view
 */
void physr_iter_init_view(struct physr_iter *it, const struct physr_view *view)
{
	it->chunk = view->chunk;
	it->pos = view->chunk ? &view->chunk->words[view->word] : NULL;
	it->end = it->pos;
	it->provider = view->provider;
	it->skip = view->skip;
	it->remaining = view->len;
}
EXPORT_SYMBOL_GPL(physr_iter_init_view);

/**
 * __physr_iter_next() - advance to the next range, the general case
 * @it: the iterator
 * @range: filled with the range
 *
 * physr_iter_next() handles a lone compact entry inline and calls this for
 * everything else: chunk ends, provider switches, MORE chains, long
 * entries and the trimmed edges of a view.
 *
 * Return: false when there are no more ranges.
 */
bool __physr_iter_next(struct physr_iter *it, struct physr *range)
{
	const struct physr_chunk *chunk = it->chunk;
	const u64 *pos = it->pos;
	const u64 *end;
	struct physr_entry e = { .more = true };
	phys_addr_t addr = 0;
	u64 len = 0;

	if (!it->remaining)
		return false;

	end = chunk->words + chunk->nr_words;
	while (e.more) {
		if (pos == end) {
			chunk = chunk->next;
			if (WARN_ON(!chunk))
				return false;
			pos = chunk->words;
			end = pos + chunk->nr_words;
			continue;
		}
		if (physr_word_is_provider(*pos)) {
			it->provider = (struct p2pdma_provider *)(uintptr_t)pos[1];
			pos += 2;
			continue;
		}
		physr_decode(pos, &e);
		pos += e.words;
		if (!len)
			addr = e.addr;
		len += e.len;
	}

	addr += it->skip;
	len -= it->skip;
	it->skip = 0;
	if (len > it->remaining)
		len = it->remaining;
	it->remaining -= len;

	it->chunk = chunk;
	it->pos = pos;
	it->end = end;
	range->addr = addr;
	range->len = len;
	return true;
}
EXPORT_SYMBOL_GPL(__physr_iter_next);

static void physr_block_iter_setup(struct physr_block_iter *bi,
				   u64 block_size)
{
	bi->cur.addr = 0;
	bi->cur.len = 0;
	bi->block_mask = block_size - 1;
	/* A bad block size is a caller bug: iterate over nothing. */
	if (WARN_ON(!block_size || (block_size & (block_size - 1))))
		bi->it.remaining = 0;
}

/**
 * physr_block_iter_init() - start iterating over a list in blocks
 * @bi: the iterator
 * @list: the list
 * @block_size: a power of two
 *
 * Each range is cut at every multiple of @block_size, so every piece lies
 * inside one naturally aligned block; the first and last piece of a range
 * may be shorter than a block.  A @block_size that is not a power of two
 * warns and yields nothing.
 */
void physr_block_iter_init(struct physr_block_iter *bi,
			   const struct physr_list *list, u64 block_size)
{
	physr_iter_init(&bi->it, list);
	physr_block_iter_setup(bi, block_size);
}
EXPORT_SYMBOL_GPL(physr_block_iter_init);

/**
 * physr_block_iter_init_view() - start iterating over a view in blocks
 * @bi: the iterator
 * @view: the view
 * @block_size: a power of two
 *
 * As physr_block_iter_init(), over the view's trimmed ranges.
 */
void physr_block_iter_init_view(struct physr_block_iter *bi,
				const struct physr_view *view, u64 block_size)
{
	physr_iter_init_view(&bi->it, view);
	physr_block_iter_setup(bi, block_size);
}
EXPORT_SYMBOL_GPL(physr_block_iter_init_view);

/**
 * physr_block_iter_next() - advance to the next block
 * @bi: the iterator
 * @block: filled with the next piece
 *
 * Return: false when there are no more pieces.
 */
bool physr_block_iter_next(struct physr_block_iter *bi, struct physr *block)
{
	u64 piece;

	if (!bi->cur.len && !physr_iter_next(&bi->it, &bi->cur))
		return false;

	piece = bi->block_mask - (bi->cur.addr & bi->block_mask) + 1;
	if (piece > bi->cur.len)
		piece = bi->cur.len;
	block->addr = bi->cur.addr;
	block->len = piece;
	bi->cur.addr += piece;
	bi->cur.len -= piece;
	return true;
}
EXPORT_SYMBOL_GPL(physr_block_iter_next);

/*
 * The loop of physr_iter_next_bulk(): store the first @n entries at @pos
 * while they match (@mask, @want).  Four at a time, tested together, so
 * the common run of matching entries costs one branch per four.  Out of
 * line on purpose: inlined into a large caller it lost its registers to
 * the caller's and ran at twice the instructions per entry.
 */
unsigned int __physr_bulk_copy(const u64 *pos, unsigned int n, u64 *out,
			       u64 mask, u64 want, u64 bits)
{
	const u64 *p = pos, *end = pos + n;

	/*
	 * An entry that matches is its PFN ORed with @want, so w ^ @want is
	 * the PFN, and it matches when that has no bit of @mask.  Pointers,
	 * not a 32-bit index: its wrap-around defeats addressing.
	 */
	for (; end - p >= 4; p += 4, out += 4) {
		u64 x0 = p[0] ^ want, x1 = p[1] ^ want, x2 = p[2] ^ want;
		u64 x3 = p[3] ^ want;

		if ((x0 | x1 | x2 | x3) & mask)
			break;
		WRITE_ONCE(out[0], (x0 << PAGE_SHIFT) | bits);
		WRITE_ONCE(out[1], (x1 << PAGE_SHIFT) | bits);
		WRITE_ONCE(out[2], (x2 << PAGE_SHIFT) | bits);
		WRITE_ONCE(out[3], (x3 << PAGE_SHIFT) | bits);
	}
	for (; p < end && !((*p ^ want) & mask); p++, out++)
		WRITE_ONCE(*out, ((*p ^ want) << PAGE_SHIFT) | bits);
	return p - pos;
}
EXPORT_SYMBOL_GPL(__physr_bulk_copy);
