/* result_h5file.c: a result's HDF5 file, whatever backend moves its frames
 * (result_backend.h): created collectively under its temporary name with
 * the NXdata group in Savu's layout (axes, patterns) and the dataset
 * `data`, whose storage the backend chooses, and closed. */
#include "result_backend.h"
#include "nexus_hdf5.h"
#include "scaled_u16.h"

void result_h5_reason(savu_error *why)
{
    savu_h5_reason(why->msg, sizeof why->msg);
}

/* The type the data are stored as: float32, unsigned 16-bit, or IEEE
 * binary16 (sign bit 15, exponent bits 10-14 biased by 15, mantissa bits
 * 0-9), little-endian as HDF5's own types. A new type (close it). */
hid_t result_h5file_stored_type(const result_file *rf)
{
    if (rf->store == RESULT_STORE_UINT16)
        return H5Tcopy(H5T_STD_U16LE);
    hid_t t = H5Tcopy(H5T_IEEE_F32LE);
    if (t < 0 || rf->store != RESULT_STORE_FLOAT16)
        return t;
    if (H5Tset_fields(t, 15, 10, 5, 0, 10) < 0 || H5Tset_precision(t, 16) < 0 ||
        H5Tset_size(t, 2) < 0 || H5Tset_ebias(t, 15) < 0) {
        H5Tclose(t);
        return -1;
    }
    return t;
}

hid_t result_h5file_dcpl(const result_file *rf, bool contiguous)
{
    /* Every element is written, so no fill values; the storage is allocated
     * at creation (parallel HDF5 needs it, and the raw moves need to know
     * where it lies). */
    hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    herr_t layout = dcpl < 0 ? -1 : contiguous ? H5Pset_layout(dcpl, H5D_CONTIGUOUS)
                                              : H5Pset_chunk(dcpl, rf->ndims, rf->chunk);
    if (dcpl >= 0 && (layout < 0 || H5Pset_fill_time(dcpl, H5D_FILL_TIME_NEVER) < 0 ||
                      H5Pset_alloc_time(dcpl, H5D_ALLOC_TIME_EARLY) < 0)) {
        H5Pclose(dcpl);
        dcpl = -1;
    }
    return dcpl;
}

/* A scalar float64 attribute (collective: every rank writes the same). */
static int write_double_attribute(hid_t obj, const char *name, double value)
{
    hid_t space = H5Screate(H5S_SCALAR);
    hid_t attr = space >= 0 ? H5Acreate2(obj, name, H5T_IEEE_F64LE, space, H5P_DEFAULT,
                                         H5P_DEFAULT) : -1;
    int rc = attr >= 0 && H5Awrite(attr, H5T_NATIVE_DOUBLE, &value) >= 0 ? 0 : -1;
    rc = savu_h5_close(rc, attr);
    return savu_h5_close(rc, space);
}

/* The dataset `data`, laid out as the backend says. */
static hid_t create_data(result_file *rf, hid_t group)
{
    hid_t space = H5Screate_simple(rf->ndims, rf->dims, NULL);
    hid_t dcpl = rf->backend->dcpl(rf);
    hid_t type = result_h5file_stored_type(rf);
    hid_t data = -1;
    if (space >= 0 && dcpl >= 0 && type >= 0)
        data = H5Dcreate2(group, "data", type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    if (data >= 0 && rf->store == RESULT_STORE_UINT16 &&
        (write_double_attribute(data, "scale_factor",
                                scaled_u16_scale(rf->raw.u16_min, rf->raw.u16_max)) != 0 ||
         write_double_attribute(data, "add_offset", rf->raw.u16_min) != 0)) {
        H5Dclose(data);
        data = -1;
    }
    savu_h5_close(0, type);
    savu_h5_close(0, dcpl);
    savu_h5_close(0, space);
    return data;
}

/* The file driver: MPI-IO for several ranks; POSIX I/O (several times
 * faster) when one rank writes the file alone. */
static herr_t set_driver(hid_t fapl, MPI_Comm comm, int ranks)
{
    if (ranks == 1)
        return H5Pset_fapl_sec2(fapl);
    if (H5Pset_fapl_mpio(fapl, comm, MPI_INFO_NULL) < 0)
        return -1;
    return H5Pset_coll_metadata_write(fapl, true);
}

int result_h5file_create(result_file *rf, const struct result_file_spec *spec)
{
    int ranks = 1;
    MPI_Comm_size(rf->comm, &ranks);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    /* Large data on DIRECT_ALIGN boundaries: whole frames can then be
     * written with O_DIRECT (result_raw_open_direct). */
    int rc = fapl >= 0 && set_driver(fapl, rf->comm, ranks) >= 0 &&
                     H5Pset_alignment(fapl, (hsize_t)1 << 20, DIRECT_ALIGN) >= 0
                 ? 0
                 : -1;
    if (rc == 0 && (rf->file = H5Fcreate(rf->part, H5F_ACC_TRUNC, H5P_DEFAULT, fapl)) < 0)
        rc = -1;
    rc = savu_h5_close(rc, fapl);
    rf->dxpl_collective = H5Pcreate(H5P_DATASET_XFER);
    rf->dxpl_independent = H5Pcreate(H5P_DATASET_XFER);
    if (rc == 0 && (rf->dxpl_collective < 0 || rf->dxpl_independent < 0))
        rc = -1;
    if (rc == 0 && ranks > 1 &&
        (H5Pset_dxpl_mpio(rf->dxpl_collective, H5FD_MPIO_COLLECTIVE) < 0 ||
         H5Pset_dxpl_mpio(rf->dxpl_independent, H5FD_MPIO_INDEPENDENT) < 0))
        rc = -1;
    if (rc < 0)
        return -1;
    hid_t group = savu_h5_create_group(rf->file, spec->group, "NXdata", H5T_CSET_ASCII);
    if (group < 0)
        return -1;
    struct result_file_axes axes;
    result_file_axes_of(spec->ds, &axes);
    enum savu_pattern patterns[3] = { spec->ds->pattern, spec->write_pattern, spec->read_pattern };
    bool writer = rf->rank == 0;
    rf->data = create_data(rf, group);
    rc = rf->data >= 0 && nxdata_write_axes(group, &axes.axes, rf->dxpl_collective, writer) == 0 &&
                 result_file_write_patterns(group, spec->ds, patterns, 3, rf->dxpl_collective, writer) == 0
             ? 0
             : -1;
    return savu_h5_close(rc, group);
}

int result_h5file_close(result_file *rf)
{
    rf->backend->close(rf, false);
    int rc = savu_h5_close(0, rf->data);
    rc = savu_h5_close(rc, rf->dxpl_collective);
    rc = savu_h5_close(rc, rf->dxpl_independent);
    rc = savu_h5_close(rc, rf->file);
    rf->data = rf->dxpl_collective = rf->dxpl_independent = rf->file = -1;
    return rc;
}
