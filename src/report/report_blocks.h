/*
 * report_blocks.h (internal) - the booklet's tables (report_table.c) and
 * charts (report_chart.c), drawn into the page model.
 */
#ifndef CADRE_REPORT_BLOCKS_H
#define CADRE_REPORT_BLOCKS_H

#include <stdbool.h>

#include "report_booklet.h"
#include "report_page.h"

/* Whether a table wants a landscape page. */
bool booklet_table_wide(const booklet_table *t);

/* The height of a table's start (title, heading, first rows: kept
 * together), mm. */
double booklet_table_need(layout *L, const booklet_table *t);

/* Draw the table from L->y, continuing on new pages with its heading. */
void booklet_table_draw(layout *L, const booklet_table *t);

/* The height a chart takes, mm; drawing it from L->y. */
double booklet_chart_need(layout *L, const booklet_chart *c);
void booklet_chart_draw(layout *L, const booklet_chart *c);

#endif
