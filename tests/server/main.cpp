// The Catch2 runner for crampbot_server_tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
