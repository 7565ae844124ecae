"""nexus_layout_check.py: checks with h5py, the way Savu reads them, that a
process list saved by savu has Savu 4.2's layout and HDF5 types.

Usage: nexus_layout_check.py SAVU_FILE SAVED SAVED_EXTRA
  SAVU_FILE    a list written by Savu 4.2 (astra_fbp_ds.nxs)
  SAVED        the same list opened and saved by savu: every group, dataset
               and attribute of SAVU_FILE must be there with the same type,
               shape and value (we add only /entry's NX_class, which Savu
               writes in other lists)
  SAVED_EXTRA  the same saved with an inactive sub-position 2a whose id is
               empty, and an iterate group over the last two plugins
Prints one line per problem and exits 1 when there is any."""
import json
import sys

import h5py
import numpy

problems = []


def problem(text):
    problems.append(text)
    print("not ok: " + text)


def type_of(tid):
    """A comparable description of an HDF5 datatype."""
    cls = tid.get_class()
    if cls == h5py.h5t.STRING:
        size = "variable" if tid.is_variable_str() else tid.get_size()
        return ("string", size, tid.get_strpad(), tid.get_cset())
    if cls == h5py.h5t.ENUM:
        members = tuple((tid.get_member_name(i), tid.get_member_value(i))
                        for i in range(tid.get_nmembers()))
        base = tid.get_super()
        return ("enum", base.get_size(), base.get_sign(), base.get_order(), members)
    if cls == h5py.h5t.INTEGER:
        return ("integer", tid.get_size(), tid.get_sign(), tid.get_order())
    return ("class", cls)


def attribute_type(obj, name):
    aid = h5py.h5a.open(obj.id, name.encode())
    return type_of(aid.get_type()), aid.shape


def values_equal(a, b):
    if isinstance(a, numpy.ndarray) or isinstance(b, numpy.ndarray):
        return numpy.array_equal(numpy.asarray(a), numpy.asarray(b))
    return a == b


def compare_attributes(path, theirs, ours):
    for name in theirs.attrs:
        if name not in ours.attrs:
            problem("%s: attribute %s is missing" % (path, name))
            continue
        if attribute_type(theirs, name) != attribute_type(ours, name):
            problem("%s: attribute %s has type %s, Savu's has %s" % (
                path, name, attribute_type(ours, name), attribute_type(theirs, name)))
        if not values_equal(theirs.attrs[name], ours.attrs[name]):
            problem("%s: attribute %s is %r, Savu's is %r" % (
                path, name, ours.attrs[name], theirs.attrs[name]))


def compare_with_savu(savu_path, saved_path):
    """Everything in Savu's file is in ours, with the same type and value."""
    with h5py.File(savu_path, "r") as theirs, h5py.File(saved_path, "r") as ours:
        def visit(path, obj):
            if path not in ours:
                problem("%s is missing" % path)
                return
            mine = ours[path]
            if isinstance(obj, h5py.Dataset):
                if not isinstance(mine, h5py.Dataset):
                    problem("%s is not a dataset" % path)
                    return
                if type_of(obj.id.get_type()) != type_of(mine.id.get_type()):
                    problem("%s has type %s, Savu's has %s" % (
                        path, type_of(mine.id.get_type()), type_of(obj.id.get_type())))
                if obj.shape != mine.shape:
                    problem("%s has shape %s, Savu's has %s" % (path, mine.shape, obj.shape))
                elif not values_equal(obj[()], mine[()]):
                    problem("%s is %r, Savu's is %r" % (path, mine[()], obj[()]))
                if path.endswith("/data"):
                    json.loads(mine[0])  # Savu reads it with json.loads
            elif not isinstance(mine, h5py.Group):
                problem("%s is not a group" % path)
            compare_attributes(path, obj, mine)
        theirs.visititems(visit)
        if ours["entry"].attrs.get("NX_class") != "NXentry":
            problem("/entry has no NX_class NXentry")


def expect_type(path, tid, expected):
    got = type_of(tid)
    if got != expected:
        problem("%s has type %s, expected %s" % (path, got, expected))


ASCII, UTF8 = h5py.h5t.CSET_ASCII, h5py.h5t.CSET_UTF8
NULLPAD, NULLTERM = h5py.h5t.STR_NULLPAD, h5py.h5t.STR_NULLTERM


def check_extras(saved_path):
    """Types of what Savu's list does not have: sub-positions, an inactive
    entry, an empty string, iterate groups; and the version note."""
    with h5py.File(saved_path, "r") as f:
        plugins = f["entry/plugin"]
        names = list(plugins.keys())
        if sorted(names) != ["1", "2a", "2b", "3", "4", "5"]:
            problem("entry/plugin has groups %s" % names)
            return
        entry = plugins["2a"]
        active = entry["active"]
        expect_type("2a/active", active.id.get_type(),
                    ("enum", 1, h5py.h5t.SGN_2, h5py.h5t.ORDER_LE, ((b"FALSE", 0), (b"TRUE", 1))))
        if active.shape != (1,) or bool(active[0]) is not False:
            problem("2a/active is %r, expected [False]" % active[()])
        expect_type("2a/id", entry["id"].id.get_type(), ("string", 1, NULLPAD, ASCII))
        if entry["id"][0] != b"":
            problem("2a/id is %r, expected b''" % entry["id"][0])
        if entry["name"][0] != plugins["2b"]["name"][0]:
            problem("2a is not a copy of the old 2")
        data = plugins["5"]["data"]
        expect_type("5/data", data.id.get_type(), ("string", len(data[0]), NULLPAD, ASCII))
        if not isinstance(json.loads(data[0]), dict):
            problem("5/data is not a JSON object")
        for path, cls, cset in (("entry", "NXentry", ASCII), ("entry/plugin", "NXprocess", ASCII),
                                ("entry/plugin/2a", "NXnote", ASCII),
                                ("entry/savu_notes", "NXnote", ASCII),
                                ("entry/framework_citations", "NXcollection", ASCII),
                                ("entry/framework_citations/Savu", "NXcite", UTF8),
                                ("entry/plugin/5/citation1", "NXcite", UTF8),
                                ("entry/iterate_plugin_groups", "NXnote", ASCII)):
            got, shape = attribute_type(f[path], "NX_class")
            if got != ("string", "variable", NULLTERM, cset):
                problem("%s@NX_class has type %s" % (path, got))
            if shape != () or f[path].attrs["NX_class"] != cls:
                problem("%s@NX_class is %r, expected scalar %s" % (path, f[path].attrs["NX_class"], cls))
        version = f["entry/savu_notes/version"]
        expect_type("version", version.id.get_type(), ("string", "variable", NULLTERM, UTF8))
        if version.shape != () or version[()] not in (b"4.2", "4.2"):
            problem("version is %r, expected scalar '4.2'" % version[()])
        groups = f["entry/iterate_plugin_groups"]
        if list(groups.keys()) != ["0"]:
            problem("iterate_plugin_groups has %s, expected ['0']" % list(groups.keys()))
            return
        for name, expected in (("start", 5), ("end", 6), ("iterations", 3)):
            value = groups["0"][name]
            expect_type("iterate 0/" + name, value.id.get_type(),
                        ("integer", 4, h5py.h5t.SGN_2, h5py.h5t.ORDER_LE))
            if value.shape != () or value[()] != expected:
                problem("iterate 0/%s is %r, expected scalar %d" % (name, value[()], expected))


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    compare_with_savu(sys.argv[1], sys.argv[2])
    check_extras(sys.argv[3])
    if not problems:
        print("ok: the saved lists have Savu's layout and types")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
