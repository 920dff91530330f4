// SPDX-License-Identifier: GPL-2.0-only
/*
 * report-html.c - the analysis as one self-contained HTML file: inline SVG
 * charts (free pages by order over time, fragmentation index over time,
 * fast and slow paths over time, fallbacks) above the full text report.
 *
 * Nothing is fetched: no scripts, no stylesheets, no fonts, no images
 * outside the file, so it opens offline and can be attached to a bug.
 * Series come from the mirror's state samples when the replay ran (the
 * recorded system's free lists between snapshots), else from the /proc
 * snapshots alone; per-interval rates from the recorded view's buckets.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analyze-internal.h"

static const char *const palette[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
	"#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939",
};

struct series_buf {
	double *x, *y;
	unsigned int n;
};

static void sb_init(struct series_buf *s, unsigned int cap)
{
	s->x = calloc(cap ? cap : 1, sizeof(double));
	s->y = calloc(cap ? cap : 1, sizeof(double));
	s->n = 0;
}

static void sb_add(struct series_buf *s, double x, double y)
{
	if (!s->x || !s->y)
		return;
	s->x[s->n] = x;
	s->y[s->n] = y;
	s->n++;
}

static void sb_release(struct series_buf *s)
{
	free(s->x);
	free(s->y);
}

static double rel(const struct bt_analysis *a, uint64_t ts)
{
	return bt_an_sec(ts - BT_MIN(ts, a->trace_first_ts));
}

static struct bt_svg_series mk(const char *name, unsigned int c,
			       const struct series_buf *s)
{
	return (struct bt_svg_series){ name, palette[c % 12], s->x, s->y,
				       s->n };
}

/* Free pages per order summed over zones: mirror samples or snapshots. */
static void chart_free(const struct bt_analysis *a, struct bt_buf *b)
{
	static const char *const names[BT_AN_ORDERS] = {
		"order 0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10" };
	const struct bt_replay_summary *m = &a->mirror;
	bool samples = a->have_mirror && m->nr_samples;
	unsigned int n = samples ? m->nr_samples : a->nr_buddy, o, i, z;
	struct series_buf sb[BT_AN_ORDERS];
	struct bt_svg_series s[BT_AN_ORDERS];

	for (o = 0; o < BT_AN_ORDERS; o++) {
		sb_init(&sb[o], n);
		for (i = 0; i < n; i++) {
			double v = 0;

			if (samples)
				for (z = 0; z < m->nr_zones &&
				     z < BT_REPLAY_MAX_ZONES; z++)
					v += (double)(m->samples[i].free[z][o]
						      << o);
			else
				for (z = 0; z < a->buddy[i].nr; z++)
					v += (double)(a->buddy[i].z[z].nr_free[o]
						      << o);
			sb_add(&sb[o], rel(a, samples ? m->samples[i].ts :
					   a->buddy[i].ts), v);
		}
		s[o] = mk(names[o], o, &sb[o]);
	}
	bt_svg_chart(b, samples ? "Free pages by order over time (mirror)" :
		     "Free pages by order at each snapshot", "free pages", s,
		     BT_AN_ORDERS, false);
	for (o = 0; o < BT_AN_ORDERS; o++)
		sb_release(&sb[o]);
}

/* Fragmentation index at pageblock order per zone. */
static void chart_frag(const struct bt_analysis *a, struct bt_buf *b)
{
	const struct bt_replay_summary *m = &a->mirror;
	unsigned int k = BT_MIN(a->pageblock_order, BT_AN_ORDERS - 1);
	unsigned int nz = 0, z, i, c = 0;
	struct series_buf sb[2 * BT_AN_ZONES];
	struct bt_svg_series s[2 * BT_AN_ZONES];
	char names[2 * BT_AN_ZONES][48];

	if (a->have_mirror && m->nr_samples) {
		for (z = 0; z < m->nr_zones && z < BT_REPLAY_MAX_ZONES; z++) {
			sb_init(&sb[c], m->nr_samples);
			for (i = 0; i < m->nr_samples; i++)
				sb_add(&sb[c], rel(a, m->samples[i].ts),
				       m->samples[i].frag_index[z][k] / 1000.0);
			snprintf(names[c], sizeof(names[c]), "%s mirror",
				 m->zone_name[z]);
			s[c] = mk(names[c], c, &sb[c]);
			c++;
		}
	}
	if (a->nr_buddy)
		nz = a->buddy[0].nr;
	for (z = 0; z < nz && c < 2 * BT_AN_ZONES; z++) {
		sb_init(&sb[c], a->nr_buddy);
		for (i = 0; i < a->nr_buddy; i++) {
			struct bt_frag f;

			if (z >= a->buddy[i].nr)
				continue;
			bt_frag_compute(a->buddy[i].z[z].nr_free, &f);
			sb_add(&sb[c], rel(a, a->buddy[i].ts),
			       f.fragindex[k] / 1000.0);
		}
		snprintf(names[c], sizeof(names[c]), "%s snapshot",
			 a->buddy[0].z[z].name);
		s[c] = mk(names[c], c + 6, &sb[c]);
		c++;
	}
	char title[96];

	snprintf(title, sizeof(title), "Fragmentation index at order %u "
		 "(-1: a block is free)", k);
	bt_svg_chart(b, title, "index", s, c, false);
	for (i = 0; i < c; i++)
		sb_release(&sb[i]);
}

/* Per-interval deltas of a cumulative sample counter. */
static void sample_rate(const struct bt_analysis *a,
			const struct bt_replay_summary *m, size_t off,
			struct series_buf *sb)
{
	uint64_t prev = 0;
	unsigned int i;

	sb_init(sb, m->nr_samples);
	for (i = 0; i < m->nr_samples; i++) {
		uint64_t v = *(const uint64_t *)((const char *)&m->samples[i] +
						 off);

		sb_add(sb, rel(a, m->samples[i].ts), (double)(v - BT_MIN(v,
								      prev)));
		prev = v;
	}
}

static void bucket_series(const struct bt_analysis *a, size_t off,
			  struct series_buf *sb)
{
	const struct bt_recorded *r = &a->rec;
	unsigned int i;

	sb_init(sb, BT_AN_BUCKETS);
	for (i = 0; i < BT_AN_BUCKETS; i++)
		sb_add(sb, rel(a, r->bucket_t0 + i * r->bucket_ns),
		       (double)*(const uint64_t *)((const char *)&r->buckets[i]
						   + off));
}

static void chart_paths(const struct bt_analysis *a, struct bt_buf *b)
{
	struct series_buf sb[5];
	struct bt_svg_series s[5];
	unsigned int c = 0, i;

	bucket_series(a, offsetof(struct bt_rec_bucket, evidence), &sb[c]);
	s[c] = mk("slow-path evidence (recorded, lower bound)", 3, &sb[c]);
	c++;
	if (a->have_mirror && a->mirror.nr_samples) {
		sample_rate(a, &a->mirror, offsetof(struct bt_replay_sample,
						    slowpath), &sb[c]);
		s[c] = mk("slow (mirror)", 1, &sb[c]);
		c++;
	}
	if (a->have_model && a->model.nr_samples) {
		sample_rate(a, &a->model, offsetof(struct bt_replay_sample,
						   slowpath), &sb[c]);
		s[c] = mk("slow (model)", 4, &sb[c]);
		c++;
	}
	bt_svg_chart(b, "Slow-path entries per interval", "entries", s, c,
		     false);
	for (i = 0; i < c; i++)
		sb_release(&sb[i]);
	c = 0;
	bucket_series(a, offsetof(struct bt_rec_bucket, allocs), &sb[c]);
	s[c] = mk("allocations (recorded)", 0, &sb[c]);
	c++;
	if (a->have_mirror && a->mirror.nr_samples) {
		sample_rate(a, &a->mirror, offsetof(struct bt_replay_sample,
						    fast), &sb[c]);
		s[c] = mk("fast (mirror)", 2, &sb[c]);
		c++;
	}
	if (a->have_model && a->model.nr_samples) {
		sample_rate(a, &a->model, offsetof(struct bt_replay_sample,
						   fast), &sb[c]);
		s[c] = mk("fast (model)", 5, &sb[c]);
		c++;
	}
	bt_svg_chart(b, "Allocations and fast-path hits per interval",
		     "allocations", s, c, false);
	for (i = 0; i < c; i++)
		sb_release(&sb[i]);
}

static void chart_fallbacks(const struct bt_analysis *a, struct bt_buf *b)
{
	struct series_buf sb[2];
	struct bt_svg_series s[2];

	bucket_series(a, offsetof(struct bt_rec_bucket, fallbacks), &sb[0]);
	bucket_series(a, offsetof(struct bt_rec_bucket, fragmenting), &sb[1]);
	s[0] = mk("fallbacks", 1, &sb[0]);
	s[1] = mk("fragmenting", 3, &sb[1]);
	bt_svg_chart(b, "Fallbacks per interval (recorded)", "fallbacks", s,
		     2, true);
	sb_release(&sb[0]);
	sb_release(&sb[1]);
}

static int text_block(const struct bt_analysis *a, struct bt_buf *b)
{
	char *txt = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&txt, &len);

	if (!m)
		return -ENOMEM;
	bt_report_text(a, m);
	if (fclose(m)) {
		free(txt);
		return -ENOMEM;
	}
	bt_buf_printf(b, "<h2>Report</h2>\n<pre>");
	bt_buf_escape(b, txt);
	bt_buf_printf(b, "</pre>\n");
	free(txt);
	return 0;
}

int bt_report_html(const struct bt_analysis *a, FILE *f)
{
	struct bt_buf b;
	int err;

	bt_buf_init(&b);
	bt_buf_printf(&b, "<!DOCTYPE html>\n<html lang='en'><head>"
		      "<meta charset='utf-8'><title>buddytrace: ");
	bt_buf_escape(&b, a->path);
	bt_buf_printf(&b, "</title>\n<style>body{font-family:sans-serif;"
		      "margin:16px;background:#fff;color:#222}"
		      "pre{font-size:12px;background:#f6f6f6;padding:8px}"
		      "svg.chart{display:block;margin:8px 0}</style>"
		      "</head><body>\n<h1>buddytrace analyze</h1>\n<p>");
	bt_buf_escape(&b, a->path);
	bt_buf_printf(&b, " &mdash; kernel ");
	bt_buf_escape(&b, a->kernel);
	bt_buf_printf(&b, "</p>\n<div id='charts'>\n");
	chart_free(a, &b);
	chart_frag(a, &b);
	chart_paths(a, &b);
	chart_fallbacks(a, &b);
	bt_buf_printf(&b, "</div>\n");
	err = text_block(a, &b);
	bt_buf_printf(&b, "</body></html>\n");
	if (!err && (!b.data || fwrite(b.data, 1, b.len, f) != b.len))
		err = -EIO;
	bt_buf_release(&b);
	return err;
}
