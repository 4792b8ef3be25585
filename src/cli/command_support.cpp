#include "cli/command_support.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/cli.h"

namespace sg::cli {

core::Result<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (!in || !(text << in.rdbuf())) return core::invalid_argument("cannot read the file", path);
  return text.str();
}

core::Status write_new_file(const std::string& path, const std::string& text, mode_t mode) {
  // O_EXCL: never overwrite a key (or anything else) that is already there.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    return errno == EEXIST ? core::already_exists("the file already exists", path)
                           : core::invalid_argument("cannot create the file", path);
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ok = ::fsync(fd) == 0 && ok;
  ::close(fd);
  if (!ok) return core::unavailable("cannot write the file");
  return {};
}

core::Result<std::string> read_private_file(const std::string& path, std::string_view what) {
  struct stat info;
  if (::stat(path.c_str(), &info) != 0) {
    return core::Error{core::Code::kNotFound, "the " + std::string(what) + " file does not exist",
                       path};
  }
  if ((info.st_mode & 0077) != 0) {
    return core::invalid_argument("the " + std::string(what) +
                                      " file may be read by others; chmod 600 it (and consider "
                                      "it exposed)",
                                  path);
  }
  return read_text(path);
}

int fail(const core::Error& error) {
  std::cerr << "safeguard: error: " << error.message;
  if (!error.field.empty()) std::cerr << " (" << error.field << ")";
  std::cerr << "\n";
  return kExitFailed;
}

void add_db_options(CLI::App* cmd, DbOptions& opts) {
  cmd->add_option("--db", opts.db, "SQLite database file (or SAFEGUARD_DB)");
  cmd->add_option("--config", opts.config_file, "TOML configuration file (or SAFEGUARD_CONFIG)");
}

}  // namespace sg::cli
