/* No libc: memcpy/memset/memmove become wasm bulk-memory instructions (-mbulk-memory). */
#define memcpy __builtin_memcpy
#define memset __builtin_memset
#define memmove __builtin_memmove
