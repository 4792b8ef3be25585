// The `safeguard` binary: everything lives in the cli library.
#include "cli/cli.h"

int main(int argc, char** argv) { return sg::cli::run(argc, argv); }
