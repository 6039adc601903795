#include "libmini.h"
int main(void);
int main(void)
{
    kprintf("hello %d %u %x %s %lx %-5d| %05d %c%%\n", -42, 42u, 0xbeefu, "str", 0x123456789abcdefUL, 7, -3, 'Z');
    return 0;
}
