/* help.h — kura --help and kura help COMMAND (help.c holds the text of
 * every command, in the catalog's language, i18n.h). */
#ifndef KURA_HELP_H
#define KURA_HELP_H

#include <stdio.h>

/* The overview: every command's synopsis and a line on what it does. */
void help_usage(FILE *f);
/* The page of command name (its synopsis, what it does, its options) to
 * f; -1 when kura has no such command. */
int help_command(FILE *f, const char *name);

#endif
