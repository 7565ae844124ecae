/* preview_from_file.c: writes the preview PNG of a result by reading its
 * central slices back from the file (png_preview_write), for
 * engine-phantom.test to check the PNG the engine made from its blocks:
 *   preview_from_file RESULT.h5 /group/data OUT.png */
#include <stdio.h>
#include "png_preview.h"

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: preview_from_file RESULT.h5 DATA_PATH OUT.png\n");
        return 2;
    }
    savu_error err;
    if (png_preview_write(argv[1], argv[2], argv[3], &err) != 0) {
        fprintf(stderr, "preview_from_file: %s\n", err.msg);
        return 1;
    }
    return 0;
}
