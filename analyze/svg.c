// SPDX-License-Identifier: GPL-2.0-only
/*
 * svg.c - small inline SVG charts for the HTML report: one plot area with
 * axes, a few tick labels, one polyline (or bar group) per series and a
 * legend. No scripts, no fonts to fetch, nothing outside the file, so the
 * report works offline and renders the same in any browser.
 */
#include <math.h>
#include <string.h>

#include "analyze-internal.h"

#define W 1100
#define H 280
#define L 80		/* left margin: y labels */
#define R 20
#define T 34
#define B 50		/* bottom margin: x labels and legend */

void bt_buf_escape(struct bt_buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			bt_buf_printf(b, "&lt;");
			break;
		case '>':
			bt_buf_printf(b, "&gt;");
			break;
		case '&':
			bt_buf_printf(b, "&amp;");
			break;
		case '\'':
			bt_buf_printf(b, "&#39;");
			break;
		case '"':
			bt_buf_printf(b, "&quot;");
			break;
		default:
			bt_buf_append(b, s, 1);
		}
	}
}

struct range {
	double x0, x1, y0, y1;
};

static void bounds(const struct bt_svg_series *s, unsigned int nr,
		   struct range *r)
{
	unsigned int i, k;

	r->x0 = r->y0 = INFINITY;
	r->x1 = r->y1 = -INFINITY;
	for (i = 0; i < nr; i++) {
		for (k = 0; k < s[i].n; k++) {
			if (!isfinite(s[i].x[k]) || !isfinite(s[i].y[k]))
				continue;
			r->x0 = fmin(r->x0, s[i].x[k]);
			r->x1 = fmax(r->x1, s[i].x[k]);
			r->y0 = fmin(r->y0, s[i].y[k]);
			r->y1 = fmax(r->y1, s[i].y[k]);
		}
	}
	if (!isfinite(r->x0)) {
		r->x0 = r->y0 = 0;
		r->x1 = r->y1 = 1;
	}
	r->y0 = fmin(r->y0, 0);
	if (r->x1 <= r->x0)
		r->x1 = r->x0 + 1;
	if (r->y1 <= r->y0)
		r->y1 = r->y0 + 1;
}

static double px(const struct range *r, double x)
{
	return L + (x - r->x0) / (r->x1 - r->x0) * (W - L - R);
}

static double py(const struct range *r, double y)
{
	return H - B - (y - r->y0) / (r->y1 - r->y0) * (H - T - B);
}

static void axes(struct bt_buf *b, const struct range *r, const char *ylabel)
{
	unsigned int i;

	bt_buf_printf(b, "<rect x='%d' y='%d' width='%d' height='%d' "
		      "fill='#fbfbfd' stroke='#888'/>\n", L, T, W - L - R,
		      H - T - B);
	for (i = 0; i <= 4; i++) {
		double y = r->y0 + (r->y1 - r->y0) * i / 4;
		double x = r->x0 + (r->x1 - r->x0) * i / 4;

		bt_buf_printf(b, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' "
			      "stroke='#ddd'/><text x='%d' y='%.1f' "
			      "text-anchor='end' font-size='11'>",
			      L, W - R, py(r, y), py(r, y), L - 4,
			      py(r, y) + 4);
		bt_buf_printf(b, fabs(y) >= 1000 ? "%.0f</text>\n" :
			      "%.4g</text>\n", y);
		bt_buf_printf(b, "<text x='%.1f' y='%d' text-anchor='middle' "
			      "font-size='11'>%.3g s</text>\n", px(r, x),
			      H - B + 14, x);
	}
	bt_buf_printf(b, "<text x='12' y='%d' font-size='11' "
		      "transform='rotate(-90 12 %d)' text-anchor='middle'>",
		      (H - B + T) / 2, (H - B + T) / 2);
	bt_buf_escape(b, ylabel);
	bt_buf_printf(b, "</text>\n");
}

static void line(struct bt_buf *b, const struct range *r,
		 const struct bt_svg_series *s)
{
	unsigned int k;

	bt_buf_printf(b, "<polyline fill='none' stroke='%s' "
		      "stroke-width='2' points='", s->color);
	for (k = 0; k < s->n; k++)
		if (isfinite(s->x[k]) && isfinite(s->y[k]))
			bt_buf_printf(b, "%.1f,%.1f ", px(r, s->x[k]),
				      py(r, s->y[k]));
	bt_buf_printf(b, "'/>\n");
	if (s->n == 1 || s->n <= 8)
		for (k = 0; k < s->n; k++)
			bt_buf_printf(b, "<circle cx='%.1f' cy='%.1f' r='4' "
				      "fill='%s'/>\n", px(r, s->x[k]),
				      py(r, s->y[k]), s->color);
}

static void bars(struct bt_buf *b, const struct range *r,
		 const struct bt_svg_series *s, unsigned int i,
		 unsigned int nr)
{
	double span = (double)(W - L - R) / (s->n ? s->n : 1);
	double w = fmax(span / (nr + 1), 1.0);
	unsigned int k;

	for (k = 0; k < s->n; k++) {
		double y = py(r, s->y[k]);

		bt_buf_printf(b, "<rect x='%.1f' y='%.1f' width='%.1f' "
			      "height='%.1f' fill='%s'/>\n",
			      px(r, s->x[k]) + w * i, y, w,
			      fmax(py(r, 0) - y, 0.0), s->color);
	}
}

void bt_svg_chart(struct bt_buf *b, const char *title, const char *ylabel,
		  const struct bt_svg_series *s, unsigned int nr, bool as_bars)
{
	struct range r;
	unsigned int i, lx = L;

	bounds(s, nr, &r);
	bt_buf_printf(b, "<svg xmlns='http://www.w3.org/2000/svg' "
		      "width='%d' height='%d' viewBox='0 0 %d %d' "
		      "font-family='sans-serif' class='chart'>\n", W, H, W, H);
	bt_buf_printf(b, "<text x='%d' y='20' font-size='15' "
		      "font-weight='bold'>", L);
	bt_buf_escape(b, title);
	bt_buf_printf(b, "</text>\n");
	axes(b, &r, ylabel);
	for (i = 0; i < nr; i++) {
		if (as_bars)
			bars(b, &r, &s[i], i, nr);
		else
			line(b, &r, &s[i]);
		bt_buf_printf(b, "<rect x='%u' y='%d' width='12' height='12' "
			      "fill='%s'/><text x='%u' y='%d' font-size='11'>",
			      lx, H - 18, s[i].color, lx + 16, H - 8);
		bt_buf_escape(b, s[i].name);
		bt_buf_printf(b, "</text>\n");
		lx += 24 + 7 * (unsigned int)strlen(s[i].name);
	}
	if (!nr || !s[0].n)
		bt_buf_printf(b, "<text x='%d' y='%d' font-size='13' "
			      "fill='#888'>no data</text>\n", W / 2, H / 2);
	bt_buf_printf(b, "</svg>\n");
}
