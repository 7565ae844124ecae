/* citations.h: the citations of the framework itself (Savu, HDF5, MPI),
 * written to every output file and run log beside the plugins' own, with
 * the texts Savu writes to /entry/framework_citations. */
#ifndef SAVU_CITATIONS_H
#define SAVU_CITATIONS_H

#include <stddef.h>
#include "savu_plugin.h"

/* In the order they are cited; label is the NXcite group name Savu uses. */
extern const struct savu_citation savu_framework_citations[];
extern const size_t savu_framework_citation_count;

#endif
