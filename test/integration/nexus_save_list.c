/* nexus_save_list.c: test helper for nexus-layout.test. Reads a process list
 * and saves it again, so that the saved file can be compared with the one
 * Savu wrote. With --extra it also adds what Savu's list lacks (an iterate
 * group, a lettered sub-position, an inactive entry, an empty id) to check
 * their types too.
 * Usage: nexus_save_list [--extra] IN.nxs OUT.nxs */
#include <stdio.h>
#include <string.h>
#include "nexus.h"
#include "registry.h"

/* Adds an inactive copy of entry 2 at 2a (old 2 becomes 2b), an iterate
 * group over the last two plugins and clears the copy's id. */
static int add_extras(savu_process_list *pl, savu_error *err)
{
    if (savu_plist_duplicate(pl, "2", "2a", err) < 0 || savu_plist_set_active(pl, "2a", false, err) < 0)
        return -1;
    int i = savu_plist_find(pl, "2a", err);
    if (i < 0)
        return -1;
    pl->entries[i]->id[0] = '\0';
    return savu_plist_add_iterate(pl, (int)pl->n - 1, (int)pl->n, 3, err);
}

int main(int argc, char **argv)
{
    int extra = argc == 4 && strcmp(argv[1], "--extra") == 0;
    if (argc != 3 + extra) {
        fprintf(stderr, "usage: %s [--extra] IN.nxs OUT.nxs\n", argv[0]);
        return 2;
    }
    savu_error err;
    savu_process_list *pl = savu_nexus_read(argv[1 + extra], savu_registry_catalog(), &err);
    int rc = pl && (!extra || add_extras(pl, &err) == 0) && savu_nexus_write(pl, argv[2 + extra], &err) == 0;
    if (!rc)
        fprintf(stderr, "%s: %s\n", argv[0], err.msg);
    savu_plist_free(pl);
    return rc ? 0 : 1;
}
