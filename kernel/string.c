/* The few libc routines the compiler may call on its own (struct copies and
 * zeroing), written out plainly. */
#include "types.h"

void *memset(void *dest, int c, size_t n)
{
	volatile uint8 *d = dest;	/* volatile: keep clang from turning this back into memset */
	while (n--)
		*d++ = (uint8)c;
	return dest;
}

void *memcpy(void *dest, const void *src, size_t n)
{
	volatile uint8 *d = dest;
	const uint8 *s = src;
	while (n--)
		*d++ = *s++;
	return dest;
}

void *memmove(void *dest, const void *src, size_t n)
{
	volatile uint8 *d = dest;
	const uint8 *s = src;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dest;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8 *x = a, *y = b;
	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
	}
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (uint8)*a - (uint8)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b || !*a)
			return (uint8)*a - (uint8)*b;
	}
	return 0;
}
