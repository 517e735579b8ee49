// Same as <worker/probe.hpp>: the WorkerProbe of the worker::healthcheck target.
#pragma once

#include "worker/probe.hpp"
