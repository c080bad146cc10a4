/* i18n.h — kura's messages in the archive's language.
 *
 * Messages are written in English in the code (the gettext msgids);
 * translations come from gettext catalogs: po/<lang>.po, compiled by make
 * into <build>/locale/<lang>/LC_MESSAGES/kura.mo and installed under
 * <prefix>/share/locale. kura reads the .mo itself rather than through
 * the C library's gettext, which translates nothing in the C locale --
 * and CI machines run in it, while a Japanese archive's volunteers must
 * read Japanese there too.
 *
 * Which language: the first of LANGUAGE's list, else LC_MESSAGES, when it
 * names a language kura has ("en", or one with a catalog; "ja_JP.UTF-8"
 * names "ja"); otherwise the archive's site.yaml `language:` (main.c
 * decides once it is read; "ja" when it cannot be read).
 *
 * Diagnostics are translated by diag.c, so no call site changes: a
 * diagnostic keeps its English text and, when the catalog has its format,
 * the translated text too; printing chooses (i18n_use). Call i18n_load
 * before any thread starts; lookups are then read-only and thread-safe,
 * and i18n_use may be called while other threads print.
 */
#ifndef KURA_I18N_H
#define KURA_I18N_H

/* The language LANGUAGE or LC_MESSAGES asks for when kura has it ("en",
 * "ja"), else NULL. */
const char *i18n_env_language(void);
/* Loads the catalog of lang (NULL or "en": none) from the first place
 * that has it: <dir of the binary>/build/locale, <dir>/locale,
 * <dir>/../share/locale. 0 when loaded, -1 when kura has no such
 * catalog (then nothing is translated). Once per process. */
int i18n_load(const char *lang);
/* At start: loads the catalog of the environment's language, or else of
 * "ja" (the default language of an archive), and chooses the
 * environment's language, or "ja" (i18n_choose(NULL)). */
void i18n_init(void);
/* Uses the translations when the environment's language, or else
 * site_language ("ja", "ja-JP"; NULL: "ja"), is the loaded catalog's. */
void i18n_choose(const char *site_language);
/* The loaded catalog's translation of msgid, or NULL. */
const char *i18n_lookup(const char *msgid);
/* Whether messages are printed translated (on = the archive's or the
 * environment's language is the loaded catalog's). Default off. */
void i18n_use(int on);
int i18n_in_use(void);
/* msgid translated when translations are in use and the catalog has it,
 * else msgid itself: for messages printed outside diagnostics. */
const char *i18n_tr(const char *msgid) __attribute__((format_arg(1)));
/* Marks a message written where it is not yet printed (a table, a
 * helper's argument) so that make pot extracts it; it is translated
 * where it is printed: by i18n_tr, or by diag.c for a diagnostic whose
 * format is "%s" and whose argument it is. */
#define N_(s) s
/* The language of the loaded catalog ("ja"), or "en" without one. */
const char *i18n_language(void);
/* Frees the catalog (at exit, for valgrind). */
void i18n_free(void);

#endif
