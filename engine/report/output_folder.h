/* output_folder.h: the folder a run writes into,
 * <out_dir>/<YYYYmmddHHMMSS>_<stem>/ with its run_log/ subfolder, and the
 * record of the command that made it (run_log/run_command.txt). Only rank 0
 * creates the folder; the engine broadcasts its path to the other ranks. */
#ifndef SAVU_OUTPUT_FOLDER_H
#define SAVU_OUTPUT_FOLDER_H

#include <time.h>
#include "error.h"

/* The subfolder of the output folder that holds the log, the command, the
 * process list and the citations. */
#define RUN_LOG_DIR "run_log"

/* Creates <out_dir>/<YYYYmmddHHMMSS>_<stem>/ (local time of `now`; stem as
 * output_stem) or, when folder_name is not NULL, <out_dir>/<folder_name>/,
 * and its run_log/ subfolder. out_dir must be an existing, writable folder;
 * the new folder must not exist yet. Returns the malloc'd absolute path of
 * the new folder, or NULL with one line in err (OUT as the caller wrote it,
 * without trailing '/'; NAME "." or ".." is refused like 'a/b'):
 *   "output folder 'OUT' does not exist"
 *   "output folder 'OUT' is not a folder"
 *   "output folder 'OUT' is not accessible: Not a directory"
 *   "output folder 'OUT' is not writable: Permission denied"
 *   "output folder 'OUT/NAME' already exists"
 *   "folder name 'a/b' must be one name, without '/'"
 *   "cannot create output folder 'OUT/NAME': <reason>" */
char *output_folder_create(const char *out_dir, const char *data_file, const char *folder_name,
                           time_t now, savu_error *err);

/* dir/name, malloc'd (NULL only when out of memory). */
char *output_path(const char *dir, const char *name);

/* The data file's name without its directory and last extension:
 * "/x/phantom.nxs" -> "phantom", "a.b.nxs" -> "a.b", "/x/scan" -> "scan",
 * "/x/tiffs/" -> "tiffs", ".hidden" -> ".hidden"; "data" when nothing is
 * left. malloc'd (NULL only when out of memory). */
char *output_stem(const char *data_file);

/* Writes <folder>/run_log/run_command.txt (atomically): a comment line, the
 * working directory as a `cd` command and the command line, each argument
 * quoted for a POSIX shell where needed, so that the file can be read by
 * people and run by sh. Error: "cannot write <path>: <reason>". */
int run_command_write(const char *folder, int argc, char *const argv[], savu_error *err);

#endif
