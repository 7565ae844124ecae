#!/bin/sh
# make_builtin_table.sh: writes builtin_table.c, the registry's table of the
# built-in plugins, from the plugin files named on the command line (the
# BUILTIN_PLUGINS list of plugins/builtin.am): the descriptor of
# <category>/<name>.c is savu_<name>.
set -e
echo "/* builtin_table.c: made by plugins/make_builtin_table.sh from"
echo " * plugins/builtin.am; do not edit. */"
echo '#include "builtin_plugins.h"'
echo
for file in "$@"; do
    name=$(basename "$file" .c)
    echo "extern const struct savu_plugin savu_$name;"
done
echo
echo "const struct savu_plugin *const savu_builtin_plugins[] = {"
for file in "$@"; do
    echo "    &savu_$(basename "$file" .c),"
done
echo "    NULL,"
echo "};"
