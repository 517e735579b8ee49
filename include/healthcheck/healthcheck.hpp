// The health-check module: probes, the checker that runs them, and its factory.
//
//   #include <healthcheck/healthcheck.hpp>
#pragma once

#include "healthcheck/checker.hpp"
#include "healthcheck/probe.hpp"
