/* minimp3 needs nothing from stdlib.h; the build has no libc (-nostdlib). */
