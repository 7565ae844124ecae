#!/bin/sh
# demo.sh: the README's main job (`make demo`): writes a noisy analytic
# Shepp-Logan phantom scan, reconstructs it with the shipped tomo_fbp list
# on 2 MPI ranks, and scores the result against the phantom. Run from the
# build directory; everything goes to ./demo/.
set -e
[ "$(id -u)" = 0 ] && export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
mkdir -p demo
./savu_phantom --width 256 --rows 32 --angles 360 --noise --seed 1 demo/phantom.nxs
mpirun -np 2 ./savu demo/phantom.nxs lists/tomo_fbp.nxs demo
folder=$(ls -d demo/[0-9]*_phantom | tail -1)
./savu_phantom score "$folder/tomo_p3_tomo_recon.h5:/3-TomoRecon-tomo/data" --phantom demo/phantom.nxs
echo "output folder: $folder"
