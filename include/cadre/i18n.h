/* i18n.h - the message catalogue of cadrekit: messages, warnings and
 * --help texts in the user's language (Vietnamese under a Vietnamese
 * locale, English in the C locale), through GNU gettext.
 *
 * The library translates every message it adds to a cadre_diags list
 * (cadre_diags_add() looks its format up in the catalogue); a program
 * that wants them translated binds the catalogue once:
 *
 *     setlocale(LC_MESSAGES, "");
 *     setlocale(LC_CTYPE, "");
 *     bindtextdomain(CADRE_TEXTDOMAIN, "/usr/share/locale");
 *
 * Threads: gettext lookups are safe from any thread once bound. */
#ifndef CADRE_I18N_H
#define CADRE_I18N_H

/* The gettext domain of cadrekit's messages (cadrekit.mo). */
#define CADRE_TEXTDOMAIN "cadrekit"

#ifndef CADRE_LOCALEDIR
#define CADRE_LOCALEDIR "/usr/local/share/locale"
#endif

/* `text` in the user's language, from cadrekit's catalogue; `text` itself
 * when it has no translation.  The result is static: never free it. */
const char *cadre_gettext(const char *text)
    __attribute__((format_arg(1)));

/* Marks a string for the catalogue where it is defined (a table, a usage
 * text) and translated where it is printed. */
#define CADRE_N_(text) (text)

#endif
