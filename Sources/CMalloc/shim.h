// glibc's allocator tuning (mallopt, malloc_trim, M_*), which Swift's Glibc module leaves out.
#include <malloc.h>
