/* hooks.h — `kura hooks install`: publishing on push from a bare git
 * repository on one's own server.
 *
 *   kura hooks install --repo BARE --out DOCROOT [--kura PATH]
 *                      [--branch NAME] [--force]
 *
 * writes two small POSIX sh scripts into BARE/hooks/, each calling the kura
 * binary by absolute path (PATH, or the running binary):
 *
 *  - pre-receive: for a push that updates the branch (default: the one
 *    BARE's HEAD names), runs `kura check` on the pushed commit and refuses
 *    the push (exit 1) when it finds an error, printing kura's located
 *    lines (path:line:col: error: ...) under a message in Japanese, then
 *    English. Other branches and deletions pass. git keeps a push's objects
 *    in a quarantine directory until pre-receive accepts them; kura reads
 *    them through the GIT_OBJECT_DIRECTORY and
 *    GIT_ALTERNATE_OBJECT_DIRECTORIES git sets for the hook (main.c).
 *  - post-receive: builds the branch's tip into DOCROOT (`kura build`,
 *    which swaps the whole site in atomically and keeps the previous one on
 *    failure), one build at a time (flock(1) when it exists), and prints a
 *    one-line summary to the pusher.
 *
 * A hook that exists and was not written by kura (no "kura-hook:" line) is
 * refused unless --force, which keeps it as <name>.kura-saved. A kura hook
 * is replaced, so installing again changes the branch, DOCROOT or binary.
 * Nothing is written unless both hooks can be. docs/deploy.md is the guide.
 */
#ifndef KURA_HOOKS_H
#define KURA_HOOKS_H

/* `kura hooks ...`: argv[0] is "hooks". Returns the exit status: 0 done,
 * 1 refused or failed (said why on stderr), 2 usage error. */
int hooks_main(int argc, char **argv);

#endif
