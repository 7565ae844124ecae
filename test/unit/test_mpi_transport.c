/* test_mpi_transport.c: when the engine asks Open MPI for ob1
 * (engine/run/mpi_transport.h): every rank on one node or no mpirun, and only
 * when the user did not choose a pml. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <cmocka.h>
#include "mpi_transport.h"

static void test_single_node_asks_for_ob1(void **state)
{
    (void)state;
    assert_true(mpi_transport_wants_ob1("2", "2", NULL));
    assert_true(mpi_transport_wants_ob1("16", "16", NULL));
    assert_true(mpi_transport_wants_ob1(NULL, NULL, NULL)); /* no mpirun */
}

static void test_several_nodes_or_a_choice_are_left_alone(void **state)
{
    (void)state;
    assert_false(mpi_transport_wants_ob1("4", "2", NULL));  /* two nodes */
    assert_false(mpi_transport_wants_ob1("16", "1", NULL));
    assert_false(mpi_transport_wants_ob1("2", "2", "ucx")); /* the user's choice */
    assert_false(mpi_transport_wants_ob1(NULL, NULL, "cm"));
    assert_false(mpi_transport_wants_ob1("2", NULL, NULL)); /* half a launcher: unknown */
    assert_false(mpi_transport_wants_ob1("", "", NULL));
}

static void test_choose_sets_the_variable_once(void **state)
{
    (void)state;
    setenv("OMPI_COMM_WORLD_SIZE", "3", 1);
    setenv("OMPI_COMM_WORLD_LOCAL_SIZE", "3", 1);
    unsetenv("OMPI_MCA_pml");
    assert_true(mpi_transport_choose());
    assert_string_equal(getenv("OMPI_MCA_pml"), "ob1");
    setenv("OMPI_MCA_pml", "ucx", 1);
    assert_false(mpi_transport_choose());
    assert_string_equal(getenv("OMPI_MCA_pml"), "ucx");
    unsetenv("OMPI_MCA_pml");
    setenv("OMPI_COMM_WORLD_LOCAL_SIZE", "1", 1);
    assert_false(mpi_transport_choose());
    assert_null(getenv("OMPI_MCA_pml"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_node_asks_for_ob1),
        cmocka_unit_test(test_several_nodes_or_a_choice_are_left_alone),
        cmocka_unit_test(test_choose_sets_the_variable_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
