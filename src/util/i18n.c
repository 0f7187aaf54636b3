/* i18n.c - cadrekit's message catalogue (include/cadre/i18n.h). */
#include <libintl.h>

#include "cadre/i18n.h"

const char *cadre_gettext(const char *text)
{
    /* dgettext, never gettext: the program's own domain is its business */
    return dgettext(CADRE_TEXTDOMAIN, text);
}
