// SPDX-License-Identifier: GPL-2.0
/*
 * Buffers with a chosen physical layout (see <linux/mm_layout.h>).
 *
 * How each layout is made:
 *
 *   CONTIG     alloc_contig_folios(): one run, carved into the largest
 *              aligned folios it holds.
 *   FOLIO_2M   one order-9 folio per 2 MiB; then the folios are put in a
 *              random order and separated (below).
 *   PAGE_4K    one order-0 page per 4 KiB; random order, separated.
 *   RANDOM_4K  one order-0 page per 4 KiB; random order only.
 *
 * The allocator hands out consecutive blocks in ascending order, so the
 * pieces start out as one physically contiguous run; a Fisher-Yates
 * shuffle driven by the seeded PRNG scatters them.  Separation then
 * removes the few places where a piece still directly follows its
 * predecessor physically: walking left to right, whenever piece i+1
 * starts where piece i ends, swap the two.  The pair is then descending,
 * hence not adjacent, and the pair before it cannot have become adjacent
 * (that would need piece i-1 to end where old piece i+1 starts, i.e. at
 * old piece i's end — two pieces at one address).  One pass, O(n), and
 * it always succeeds.
 *
 * Nothing of the layout is kept beyond the page array: freeing walks the
 * array and drops one reference per folio, at the folio's head page
 * (every folio's pages are consecutive in the array, head first, even for
 * the last, partly used one).
 *
 * Offsets and lengths are bytes; ranges are [offset, offset + len).
 */
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mm_layout.h>
#include <linux/overflow.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>

#define MM_FOLIO_2M_ORDER	9
#define MM_FOLIO_2M_PAGES	(1UL << MM_FOLIO_2M_ORDER)

static const char *const mm_layout_names[MM_NR_LAYOUTS] = {
	[MM_LAYOUT_CONTIG] = "contig",
	[MM_LAYOUT_FOLIO_2M] = "2m",
	[MM_LAYOUT_PAGE_4K] = "4k",
	[MM_LAYOUT_RANDOM_4K] = "random",
};

/**
 * mm_layout_name() - short name of a layout
 * @layout: the layout
 *
 * Return: "contig", "2m", "4k" or "random"; "?" for an invalid value.
 */
const char *mm_layout_name(enum mm_layout layout)
{
	if ((unsigned int)layout >= MM_NR_LAYOUTS)
		return "?";
	return mm_layout_names[layout];
}

/**
 * mm_layout_parse() - layout from its short name
 * @name: as returned by mm_layout_name()
 * @layout: set on success
 *
 * Return: 0, or -EINVAL for an unknown name.
 */
int mm_layout_parse(const char *name, enum mm_layout *layout)
{
	unsigned int i;

	for (i = 0; i < MM_NR_LAYOUTS; i++) {
		if (!strcmp(name, mm_layout_names[i])) {
			*layout = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* Does piece i+1 start where piece i (of @span pages) ends? */
static inline bool mm_piece_follows(struct page **piece, unsigned long i,
				    unsigned long span)
{
	return page_to_pfn(piece[i + 1]) == page_to_pfn(piece[i]) + span;
}

static void mm_pieces_shuffle(struct page **piece, unsigned long n,
			      struct rnd_state *rs)
{
	unsigned long i, j;

	for (i = n; i > 1; i--) {
		j = prandom_u64_below_state(rs, i);
		swap(piece[i - 1], piece[j]);
	}
}

/* See the comment at the top of the file. */
static void mm_pieces_separate(struct page **piece, unsigned long n,
			       unsigned long span)
{
	unsigned long i;

	for (i = 0; i + 1 < n; i++)
		if (mm_piece_follows(piece, i, span))
			swap(piece[i], piece[i + 1]);
}

/*
 * Drop the buffer's reference on each folio of @pages[0, @nr).  A folio's
 * pages sit in the array in order, head first (the last one possibly cut
 * short), so the walk hops from head to head.  Hop before putting: once
 * freed, the tails no longer point at their head.
 */
static void mm_pages_put(struct page **pages, unsigned long nr)
{
	unsigned long i = 0;

	while (i < nr) {
		struct folio *folio = page_folio(pages[i]);

		VM_BUG_ON_FOLIO(&folio->page != pages[i], folio);
		i += min(folio_nr_pages(folio), nr - i);
		folio_put(folio);
	}
}

/* Drop one reference on each folio in @piece[0, @n). */
static void mm_pieces_put(struct page **piece, unsigned long n)
{
	unsigned long i;

	for (i = 0; i < n; i++)
		folio_put(page_folio(piece[i]));
}

/*
 * Allocate @n pieces of 2^@order pages into @piece[0, @n).  On failure
 * everything allocated is freed again.
 */
static int mm_pieces_alloc(struct page **piece, unsigned long n,
			   unsigned int order, gfp_t gfp)
{
	unsigned long i;

	for (i = 0; i < n; i++) {
		struct folio *folio = folio_alloc(gfp, order);

		if (!folio)
			goto out_put;
		piece[i] = &folio->page;
	}
	return 0;

out_put:
	mm_pieces_put(piece, i);
	return -ENOMEM;
}

static int mm_buffer_fill_contig(struct mm_buffer *buf, gfp_t gfp)
{
	struct page *head = alloc_contig_folios(gfp, buf->nr_pages);
	unsigned long i;

	if (!head)
		return -ENOMEM;
	for (i = 0; i < buf->nr_pages; i++)
		buf->pages[i] = head + i;
	return 0;
}

static int mm_buffer_fill_2m(struct mm_buffer *buf, gfp_t gfp,
			     struct rnd_state *rs)
{
	unsigned long nr = DIV_ROUND_UP(buf->nr_pages, MM_FOLIO_2M_PAGES);
	unsigned long i, j;
	int ret;

	/* The folios go at the front of the page array first ... */
	ret = mm_pieces_alloc(buf->pages, nr, MM_FOLIO_2M_ORDER, gfp);
	if (ret)
		return ret;
	mm_pieces_shuffle(buf->pages, nr, rs);
	mm_pieces_separate(buf->pages, nr, MM_FOLIO_2M_PAGES);

	/*
	 * ... then expand in place, last folio first: folio i fills
	 * entries [512 i, 512 i + 512), all at or after i, so no folio
	 * still to be expanded is overwritten.
	 */
	for (i = nr; i-- > 0;) {
		struct page *head = buf->pages[i];
		unsigned long first = i * MM_FOLIO_2M_PAGES;
		unsigned long cnt = min(MM_FOLIO_2M_PAGES,
					buf->nr_pages - first);

		for (j = 0; j < cnt; j++)
			buf->pages[first + j] = head + j;
	}
	return 0;
}

static int mm_buffer_fill_4k(struct mm_buffer *buf, gfp_t gfp,
			     struct rnd_state *rs, bool separate)
{
	int ret;

	ret = mm_pieces_alloc(buf->pages, buf->nr_pages, 0, gfp);
	if (ret)
		return ret;
	mm_pieces_shuffle(buf->pages, buf->nr_pages, rs);
	if (separate)
		mm_pieces_separate(buf->pages, buf->nr_pages, 1);
	return 0;
}

/**
 * mm_buffer_alloc() - allocate a buffer of RAM with a given layout
 * @size: bytes; rounded up to whole pages
 * @layout: see <linux/mm_layout.h>
 * @seed: seed of the random order (ignored for MM_LAYOUT_CONTIG)
 * @gfp: GFP flags for the pages (__GFP_ZERO, __GFP_DMA32 are honoured)
 *
 * Return: the buffer; ERR_PTR(-EINVAL) for a zero size or bad layout;
 * ERR_PTR(-ENOMEM) if memory runs out (nothing is left allocated).
 */
struct mm_buffer *mm_buffer_alloc(u64 size, enum mm_layout layout, u64 seed,
				  gfp_t gfp)
{
	struct mm_buffer *buf;
	struct rnd_state rs;
	u64 nr_pages;
	int ret;

	if (!size || (unsigned int)layout >= MM_NR_LAYOUTS)
		return ERR_PTR(-EINVAL);
	nr_pages = size / PAGE_SIZE + !!(size % PAGE_SIZE);
	if (nr_pages > ULONG_MAX / sizeof(struct page *))
		return ERR_PTR(-ENOMEM);
	gfp &= ~__GFP_COMP;

	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	buf->size = size;
	buf->nr_pages = nr_pages;
	buf->layout = layout;
	buf->seed = seed;
	buf->pages = kvmalloc_array(nr_pages, sizeof(*buf->pages), GFP_KERNEL);
	if (!buf->pages) {
		ret = -ENOMEM;
		goto out_free_buf;
	}

	prandom_seed_state(&rs, seed);
	switch (layout) {
	case MM_LAYOUT_CONTIG:
		ret = mm_buffer_fill_contig(buf, gfp);
		break;
	case MM_LAYOUT_FOLIO_2M:
		ret = mm_buffer_fill_2m(buf, gfp, &rs);
		break;
	case MM_LAYOUT_PAGE_4K:
		ret = mm_buffer_fill_4k(buf, gfp, &rs, true);
		break;
	default:
		ret = mm_buffer_fill_4k(buf, gfp, &rs, false);
		break;
	}
	if (ret)
		goto out_free_pages;
	return buf;

out_free_pages:
	kvfree(buf->pages);
out_free_buf:
	kfree(buf);
	return ERR_PTR(ret);
}

/**
 * mm_buffer_free() - free a buffer and all its memory
 * @buf: from mm_buffer_alloc(); NULL and error pointers are ignored
 */
void mm_buffer_free(struct mm_buffer *buf)
{
	if (IS_ERR_OR_NULL(buf))
		return;
	mm_pages_put(buf->pages, buf->nr_pages);
	kvfree(buf->pages);
	kfree(buf);
}

/*
 * Copy @len bytes between @bytes and the buffer at @offset, page by page
 * through the direct map: into the buffer if @to_buf, else out of it.
 */
static int mm_buffer_copy(const struct mm_buffer *buf, u64 offset,
			  void *bytes, u64 len, bool to_buf)
{
	u8 *p = bytes;
	u64 end;

	if (check_add_overflow(offset, len, &end) || end > buf->size)
		return -EINVAL;
	while (len) {
		u8 *page_va = page_address(buf->pages[offset / PAGE_SIZE]);
		u64 in = offset % PAGE_SIZE;
		u64 n = min(len, PAGE_SIZE - in);

		if (to_buf)
			memcpy(page_va + in, p, n);
		else
			memcpy(p, page_va + in, n);
		p += n;
		offset += n;
		len -= n;
	}
	return 0;
}

/**
 * mm_buffer_write() - CPU stores into a buffer, through the direct map
 * @buf: the buffer
 * @offset: first byte
 * @src: the bytes
 * @len: how many
 *
 * Return: 0, or -EINVAL if the range runs past the buffer.
 */
int mm_buffer_write(const struct mm_buffer *buf, u64 offset, const void *src,
		    u64 len)
{
	/* Copying into the buffer only reads @src: the cast is safe. */
	return mm_buffer_copy(buf, offset, (void *)src, len, true);
}

/**
 * mm_buffer_read() - CPU loads from a buffer, through the direct map
 * @buf: the buffer
 * @offset: first byte
 * @dst: where the bytes go
 * @len: how many
 *
 * Return: 0, or -EINVAL if the range runs past the buffer.
 */
int mm_buffer_read(const struct mm_buffer *buf, u64 offset, void *dst,
		   u64 len)
{
	return mm_buffer_copy(buf, offset, dst, len, false);
}

/* The pattern byte at buffer offset @off for @seed. */
static inline u8 mm_pattern_byte(u64 seed, u64 off)
{
	u64 x = (seed ^ (off >> 3)) * 0x9e3779b97f4a7c15ULL;

	return (u8)((x ^ (x >> 29)) >> ((off & 7) * 8));
}

/**
 * mm_buffer_fill() - fill a buffer with a pattern derived from a seed
 * @buf: the buffer
 * @seed: pattern seed; each byte depends on it and on its offset
 *
 * Touches every byte; see mm_buffer_check().
 */
void mm_buffer_fill(const struct mm_buffer *buf, u64 seed)
{
	u64 off = 0;

	while (off < buf->size) {
		u8 *va = page_address(buf->pages[off / PAGE_SIZE]);
		u64 end = min(buf->size, (off / PAGE_SIZE + 1) * PAGE_SIZE);

		for (; off < end; off++)
			va[off % PAGE_SIZE] = mm_pattern_byte(seed, off);
	}
}

/**
 * mm_buffer_check() - verify the pattern of mm_buffer_fill()
 * @buf: the buffer
 * @seed: the seed it was filled with
 *
 * Return: offset of the first wrong byte, or -1 if all are right.
 */
s64 mm_buffer_check(const struct mm_buffer *buf, u64 seed)
{
	u64 off = 0;

	while (off < buf->size) {
		const u8 *va = page_address(buf->pages[off / PAGE_SIZE]);
		u64 end = min(buf->size, (off / PAGE_SIZE + 1) * PAGE_SIZE);

		for (; off < end; off++)
			if (va[off % PAGE_SIZE] != mm_pattern_byte(seed, off))
				return off;
	}
	return -1;
}

/**
 * mm_buffer_nr_runs() - number of physically contiguous runs
 * @buf: the buffer
 *
 * Return: how many ranges a merging builder (physr_list_from_pages(),
 * sg_alloc_table_from_pages()) would make of the buffer, ignoring any
 * segment size limit.
 */
unsigned long mm_buffer_nr_runs(const struct mm_buffer *buf)
{
	unsigned long i, runs = 1;

	for (i = 1; i < buf->nr_pages; i++)
		if (page_to_pfn(buf->pages[i]) !=
		    page_to_pfn(buf->pages[i - 1]) + 1)
			runs++;
	return runs;
}
