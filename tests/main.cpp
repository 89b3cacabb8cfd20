// The Catch2 runner, compiled once and linked into every test binary (crampbot_catch_main).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
