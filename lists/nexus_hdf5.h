/* nexus_hdf5.h: internal helpers shared by the NeXus reader and writer:
 * keeping HDF5's automatic error printing quiet while we work, turning HDF5's
 * error stack into one short reason, looking up links safely (hard links to
 * objects of an expected type only, so a hostile file cannot send us through
 * soft or external links), reading one string, boolean or integer however it
 * was stored (nexus_read_values.c), and writing them with exactly the HDF5
 * types Savu writes (nexus_write_values.c). Internal to lists/ and the
 * engine's HDF5 writers (engine/nxdata_write.c, result_file.c). */
#ifndef SAVU_NEXUS_HDF5_H
#define SAVU_NEXUS_HDF5_H

#include <stdbool.h>
#include <stddef.h>
#include <hdf5.h>
#include "error.h"

/* HDF5's automatic error printer, saved and switched off for one call of
 * ours, then put back as it was. */
typedef struct savu_h5_quiet {
    H5E_auto2_t func;
    void *data;
} savu_h5_quiet;

void savu_h5_quiet_begin(savu_h5_quiet *q);
void savu_h5_quiet_end(const savu_h5_quiet *q);

/* The most specific message on HDF5's current error stack, e.g. "truncated
 * file: eof = 27470, ...", or, for a failed system call, its error text
 * ("File too large"). "unknown HDF5 error" when the stack is empty. */
void savu_h5_reason(char *out, size_t size);

/* Closes id (a file, group, dataset, attribute, dataspace, datatype or
 * property list; -1 is skipped) and returns rc, or -1 when closing failed
 * (closing a dataset or file writes to disk). After a failure (rc < 0) the
 * error stack of that failure survives the closing, for savu_h5_reason. */
int savu_h5_close(int rc, hid_t id);

/* Makes err->msg one line of printable text: a file's group names, strings
 * and JSON (quoted in messages) may hold newlines and control characters,
 * which become \n, \t or \xNN. */
void savu_h5_error_one_line(savu_error *err);

/* True when loc has a child `name` (one path component) that is a hard link
 * to an object of this type. Never follows soft or external links. */
bool savu_h5_has(hid_t loc, const char *name, H5O_type_t type);

/* A file access property list that closes every open object with the file
 * (so an error path cannot keep a file open), or -1. */
hid_t savu_h5_fapl_strong_close(void);

/* Reading one value from dataset `name` of loc, whatever way Savu (or h5py)
 * stored it. Errors are one phrase naming the dataset, for the caller to
 * prefix with the file and plugin: "no name dataset", "name is not a string",
 * "name has 2 values, expected 1". */

/* Fixed- or variable-length string, scalar or of one element; fixed-length
 * padding is removed. Returns malloc'd text or NULL. */
char *savu_h5_read_string(hid_t loc, const char *name, savu_error *why);

/* An HDF5 enum (h5py's bool: FALSE=0, TRUE=1), an integer, or the text
 * "True"/"False". */
int savu_h5_read_bool(hid_t loc, const char *name, bool *out, savu_error *why);

/* Any integer type, in the range of int. */
int savu_h5_read_int(hid_t loc, const char *name, int *out, savu_error *why);

/* Writing, with the types of Savu's files (h5py's defaults). Each returns 0,
 * or -1 with the reason left on HDF5's error stack (see savu_h5_reason). */

/* Scalar variable-length string attribute NX_class. Savu writes NXcite's in
 * UTF-8 and every other class in ASCII. */
int savu_h5_write_nx_class(hid_t obj, const char *nx_class, H5T_cset_t cset);

/* A new group with its NX_class attribute, or -1. */
hid_t savu_h5_create_group(hid_t parent, const char *name, const char *nx_class, H5T_cset_t cset);

/* Shape (1,) fixed-length NULLPAD ASCII string sized to the text (size 1 for
 * an empty text), as h5py writes numpy bytes. */
int savu_h5_write_fixed_string(hid_t loc, const char *name, const char *text);

/* Scalar variable-length string. */
int savu_h5_write_variable_string(hid_t loc, const char *name, const char *text, H5T_cset_t cset);

/* Shape (1,) enum over int8 {FALSE=0, TRUE=1}: h5py's numpy bool. */
int savu_h5_write_bool(hid_t loc, const char *name, bool value);

/* Scalar 32-bit little-endian signed integer. */
int savu_h5_write_int32(hid_t loc, const char *name, int value);

#endif
