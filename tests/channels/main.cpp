// The Catch2 runner for crampbot_channel_tests.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
