#ifndef CRATE_CNCURSESW_SHIM_H
#define CRATE_CNCURSESW_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#include <locale.h>
#include <wchar.h>
#include <ncursesw/ncurses.h>

int wcwidth(wchar_t c);

static inline WINDOW *crate_stdscr(void) { return stdscr; }
static inline int crate_lines(void) { return LINES; }
static inline int crate_cols(void) { return COLS; }
static inline attr_t crate_a_bold(void) { return A_BOLD; }
static inline attr_t crate_a_reverse(void) { return A_REVERSE; }
static inline attr_t crate_a_underline(void) { return A_UNDERLINE; }
static inline attr_t crate_a_dim(void) { return A_DIM; }
static inline attr_t crate_color_pair(int n) { return COLOR_PAIR(n); }

static inline attr_t crate_a_normal(void) { return A_NORMAL; }
static inline int crate_set_attr(attr_t attrs, short pair) { return attr_set(attrs, pair, NULL); }
static inline int crate_put(int y, int x, const char *text) { return mvaddstr(y, x, text); }
static inline int crate_get_wch(wint_t *ch) { return get_wch(ch); }
static inline int crate_colors(void) { return COLORS; }
static inline int crate_color_pairs(void) { return COLOR_PAIRS; }
static inline int crate_key_resize(void) { return KEY_RESIZE; }
static inline void crate_repaint_all_on_refresh(void) { clearok(curscr, TRUE); }

#endif
