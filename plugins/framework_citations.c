/* framework_citations.c: the citations of the framework itself: the Savu
 * repository (Zenodo), the Savu paper (arXiv:1610.08015), HDF5 and MPI.
 * The texts are the bibliographic records Savu 4.2 writes to
 * /entry/framework_citations of every process list and output file, kept
 * byte for byte so that our files read the same. */
#include "citations.h"

const struct savu_citation savu_framework_citations[] = {
    {
        .label = "Savu repository",
        .description = "The Savu online repository",
        .doi = "10.5281/zenodo.5095360",
        .bibtex =
            "@software{nicola_wadeson_2021_5095360,\n"
            "author={Nicola Wadeson and\n"
            "          Jessica Verschoyle and\n"
            "          Daniil Kazantsev and\n"
            "          Mark Basham and\n"
            "          Dimitar Tasev and\n"
            "          Nghia T. Vo and\n"
            "          Tom Schoonjans and\n"
            "          Emilio PJ and\n"
            "          mjn19172 and\n"
            "          Srikanth Nagella and\n"
            "          Dan Nixon and\n"
            "          mstorm and\n"
            "          Matthew Frost and\n"
            "          cgowling and\n"
            "          Robert C Atwood and\n"
            "          Gabryel Mason-Williams and\n"
            "          Jacob Filik and\n"
            "          Katrin Leinweber and\n"
            "          Making GitHub Delicious. and\n"
            "          The Gitter Badger and\n"
            "          Willem Jan Palenstijn and\n"
            "          Zdenek},\n"
            "title={DiamondLightSource/Savu: Version 4.0},\n"
            "month=jul,\n"
            "year=2021,\n"
            "publisher={Zenodo},\n"
            "version={v4.0},\n"
            "doi={10.5281/zenodo.5095360},\n"
            "url={https://doi.org/10.5281/zenodo.5095360}\n"
            "}\n",
        .endnote = "",
    },
    {
        .label = "Savu",
        .description = "The Savu framework design is described in this paper.",
        .doi = "",
        .bibtex =
            "@article{wadeson2016savu,\n"
            "title={Savu: A Python-based, MPI Framework for Simultaneous\n"
            "Processing of Multiple, N-dimensional, Large Tomography\n"
            "Datasets},\n"
            "author={Wadeson, Nicola and Basham, Mark},\n"
            "journal={arXiv preprint arXiv:1610.08015},\n"
            "year={2016}\n"
            "}\n",
        .endnote =
            "%0 Journal Article\n"
            "%T Savu: A Python-based, MPI Framework for Simultaneous Processing\n"
            "of Multiple, N-dimensional, Large Tomography Datasets\n"
            "%A Wadeson, Nicola\n"
            "%A Basham, Mark\n"
            "%J arXiv preprint arXiv:1610.08015\n"
            "%D 2016\n",
    },
    {
        .label = "Hdf5",
        .description = "Savu uses parallel HDF5 as a backend.",
        .doi = "",
        .bibtex =
            "@ONLINE{hdf5,\n"
            "author = {{The HDF Group}},\n"
            "title = '{Hierarchical Data Format, version 5}',\n"
            "year = {1997-2016},\n"
            "note = {/HDF5/},\n"
            "}\n",
        .endnote =
            "%0 Journal Article\n"
            "%T {Hierarchical Data Format, version 5}\n"
            "%A HDF Group\n"
            "%D 2014\n",
    },
    {
        .label = "MPI",
        .description =
            "HDF5 uses the Message Passing Interface standard for interprocess communication",
        .doi = "",
        .bibtex =
            "@article{walker1996mpi,\n"
            "title={MPI: a standard message passing interface},\n"
            "author={Walker, David W and Dongarra, Jack J},\n"
            "journal={Supercomputer},\n"
            "volume={12},\n"
            "pages={56--68},\n"
            "year={1996},\n"
            "publisher={ASFRA BV}\n"
            "}\n",
        .endnote =
            "%0 Journal Article\n"
            "%T MPI: a standard message passing interface\n"
            "%A Walker, David W\n"
            "%A Dongarra, Jack J\n"
            "%J Supercomputer\n"
            "%V 12\n"
            "%P 56-68\n"
            "%@ 0168-7875\n"
            "%D 1996\n"
            "%I ASFRA BV\n",
    },
};

const size_t savu_framework_citation_count =
    sizeof savu_framework_citations / sizeof savu_framework_citations[0];
