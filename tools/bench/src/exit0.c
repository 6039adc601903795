/*
 * exit0.c - an image that exits at once: the bench times it to measure each
 * emulator's start-up (process, loading, the first instructions), so that it
 * can be subtracted or compared like for like.
 */
#include "libmini.h"

int main(void);

int main(void)
{
    return 0;
}
