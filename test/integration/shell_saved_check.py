"""shell_saved_check.py: checks with h5py, the way Savu reads them, a process
list that savu_config opened from a Savu file, edited and saved.

Usage: shell_saved_check.py ORIGINAL SAVED SHIFT NAME...
  ORIGINAL  the list as Savu wrote it
  SAVED     the list savu_config saved
  SHIFT     how many plugins were inserted before the original ones (their
            iterate groups move by as much)
  NAME      the plugins SAVED must hold, in order; "!NAME": switched off;
            "?NAME": a plugin not available in savu, whose parameters must be
            exactly those of the same plugin in ORIGINAL
Checks Savu 4.2's layout: version "4.2" (variable-length string), plugin
groups "1".."N" of class NXnote, `active` a (1,) enum over int8 {FALSE=0,
TRUE=1}, `name`, `id` and `data` (1,) fixed-length ASCII strings, `data`
JSON, iterate_plugin_groups present. Prints one line per problem; exit 1
when there is any."""
import json
import sys

import h5py
import numpy

problems = []


def problem(text):
    problems.append(text)
    print("not ok: " + text)


def text_of(value):
    if isinstance(value, numpy.ndarray):
        value = value[0] if value.shape else value[()]
    if isinstance(value, bytes):
        value = value.decode()
    return str(value).strip()


def natural_key(name):
    name = name.strip()
    digits = "".join(c for c in name if c.isdigit())
    letters = "".join(c for c in name if c.isalpha())
    return (int(digits) if digits else 0, letters)


def plugins_of(f):
    group = f["entry/plugin"]
    out = []
    for key in sorted(group.keys(), key=natural_key):
        g = group[key]
        out.append((key, text_of(g["name"][()]), json.loads(text_of(g["data"][()]))))
    return out


def check_fixed_string(ds, where):
    tid = ds.id.get_type()
    if tid.get_class() != h5py.h5t.STRING or tid.is_variable_str():
        problem("%s is not a fixed-length string" % where)
    elif tid.get_cset() != h5py.h5t.CSET_ASCII:
        problem("%s is not ASCII" % where)
    if ds.shape != (1,):
        problem("%s has shape %s, not (1,)" % (where, ds.shape))


def check_active(ds, where, want):
    tid = ds.id.get_type()
    if tid.get_class() != h5py.h5t.ENUM:
        problem("%s is not an enum" % where)
        return
    members = {tid.get_member_name(i): tid.get_member_value(i) for i in range(tid.get_nmembers())}
    if members != {b"FALSE": 0, b"TRUE": 1} or tid.get_super().get_size() != 1:
        problem("%s is not the enum int8 {FALSE=0, TRUE=1}: %s" % (where, members))
    if ds.shape != (1,):
        problem("%s has shape %s, not (1,)" % (where, ds.shape))
    if bool(ds[0]) != want:
        problem("%s is %s, expected %s" % (where, bool(ds[0]), want))


def check_layout(saved, names):
    f = h5py.File(saved, "r")
    version = f["entry/savu_notes/version"]
    if not version.id.get_type().is_variable_str() or text_of(version[()]) != "4.2":
        problem("savu_notes/version is not the variable-length string 4.2")
    if "entry/iterate_plugin_groups" not in f:
        problem("entry/iterate_plugin_groups is missing")
    group = f["entry/plugin"]
    keys = sorted(group.keys(), key=natural_key)
    if keys != [str(i + 1) for i in range(len(names))]:
        problem("plugin groups %s, expected 1..%d" % (keys, len(names)))
    for key, want in zip(keys, names):
        g = group[key]
        where = "plugin %s" % key
        if text_of(g.attrs.get("NX_class", b"")) != "NXnote":
            problem("%s is not an NXnote" % where)
        for ds in ("name", "id", "data"):
            check_fixed_string(g[ds], "%s/%s" % (where, ds))
        check_active(g["active"], where + "/active", not want.startswith("!"))
        name = want.lstrip("!?")
        if text_of(g["name"][()]) != name:
            problem("%s is %s, expected %s" % (where, text_of(g["name"][()]), name))
        try:
            json.loads(text_of(g["data"][()]))
        except ValueError as e:
            problem("%s/data is not JSON: %s" % (where, e))
    return f


def groups_of(f):
    out = []
    if "entry/iterate_plugin_groups" in f:
        for key in sorted(f["entry/iterate_plugin_groups"].keys(), key=natural_key):
            g = f["entry/iterate_plugin_groups"][key]
            out.append(tuple(int(g[k][()]) for k in ("start", "end", "iterations")))
    return out


def main():
    original, saved, shift, names = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    f = check_layout(saved, names)
    o = h5py.File(original, "r")
    before, after = plugins_of(o), plugins_of(f)
    # plugins not available in savu keep their parameters exactly
    used = set()
    for index, want in enumerate(names):
        if not want.lstrip("!").startswith("?") or index >= len(after):
            continue
        name = want.lstrip("!?")
        match = [i for i, p in enumerate(before) if p[1] == name and i not in used]
        if not match:
            problem("%s is not in the original list" % name)
            continue
        used.add(match[0])
        if after[index][2] != before[match[0]][2]:
            problem("the parameters of %s changed: %s -> %s" % (name, before[match[0]][2],
                                                                after[index][2]))
    want_groups = [(s + shift, e + shift, n) for s, e, n in groups_of(o)]
    if groups_of(f) != want_groups:
        problem("iterate groups %s, expected %s" % (groups_of(f), want_groups))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
