/* mpi_sanitizer_options.c: the sanitizer settings a unit test that calls
 * MPI_Init links in. */
/* LeakSanitizer and Open MPI (sanitizer hooks: read only in a sanitizer
 * build; options given in the environment still win). Open MPI and its
 * components keep memory for the life of the process: test/lsan.supp names
 * them, and their stacks are only whole when unwound slowly, as
 * MPI_Finalize unloads the components the fast unwinder would name. Those
 * components also leave stale dynamic TLS behind, on which LeakSanitizer's
 * own thread crashes ("Tracer caught signal 11"), even for a program that
 * only calls MPI_Init and MPI_Finalize: use_tls=0 keeps it out of there. */
const char *__asan_default_options(void);
const char *__lsan_default_options(void);
__attribute__((used)) const char *__asan_default_options(void)
{
    return "fast_unwind_on_malloc=0";
}
__attribute__((used)) const char *__lsan_default_options(void)
{
    return "suppressions=" TEST_SRCDIR "/lsan.supp:print_suppressions=0:use_tls=0";
}
