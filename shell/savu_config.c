/* savu_config.c: entry point of the `savu_config` shell: command-line flags.
 * The interactive shell itself grows here (see the shell issue). */
#include "config.h"
#include <stdio.h>
#include <string.h>
#include "registry.h"

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: savu_config [--version] [--help]\n"
            "Builds and edits savu process lists (NeXus files in Savu's layout).\n");
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--version") == 0) {
            savu_registry_init();
            printf("savu_config %s (%zu plugins available)\n", PACKAGE_VERSION,
                   savu_registry_count());
            return 0;
        }
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        }
        fprintf(stderr, "savu_config: unknown option '%s' (try --help)\n", argv[i]);
        return 2;
    }
    usage(stderr);
    return 2;
}
