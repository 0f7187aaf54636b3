/* bigmem.c - see bigmem.h. */
#include <stdint.h>
#include <sys/mman.h>

#include "bigmem.h"

void *bigmem_alloc(size_t bytes)
{
    /* Map a huge page more, then give back what lies before the first
     * boundary and after the last: the region is aligned. */
    size_t size = (bytes + BIGMEM_PAGE - 1) & ~(BIGMEM_PAGE - 1);
    char *p = mmap(NULL, size + BIGMEM_PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return NULL;
    size_t lead = (BIGMEM_PAGE - (uintptr_t)p % BIGMEM_PAGE) % BIGMEM_PAGE;
    if (lead)
        munmap(p, lead);
    if (BIGMEM_PAGE - lead)
        munmap(p + lead + size, BIGMEM_PAGE - lead);
#ifdef MADV_HUGEPAGE
    madvise(p + lead, size, MADV_HUGEPAGE); /* a hint: fine if refused */
#endif
    return p + lead;
}

void bigmem_free(void *p, size_t bytes)
{
    if (p)
        munmap(p, (bytes + BIGMEM_PAGE - 1) & ~(BIGMEM_PAGE - 1));
}
