/* version.h — the one place kura's version is written. */
#ifndef KURA_VERSION_H
#define KURA_VERSION_H

#define KURA_VERSION "0.1.0"

#endif
