// The HTTP/1.1 server: a listener and keep-alive sessions on N io threads that carry
// sg::api::Request/Response to one Handler, over plain TCP or TLS. Beast and Asio stay
// behind the pimpl; nothing here depends on them.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/http.h"
#include "core/result.h"

namespace sg::server {

// Called on an io thread after each response is produced (handler answers and the
// server's own 400/413/431/500 alike), before it is written. `latency` runs from the
// arrival of the request line. Must be thread-safe, cheap and must not throw.
using ResponseObserver = std::function<void(const api::Request&, const api::Response&,
                                            std::chrono::nanoseconds latency)>;

struct ServerOptions {
  // A numeric IPv4/IPv6 address or a resolvable host name.
  std::string host = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks a free port; Server::port() reports it.
  int io_threads = 2;    // Threads running the shared io_context, the caller's included.

  // Requests beyond these limits are answered 431 and 413 and the connection is closed.
  size_t max_header_bytes = 16 * 1024;  // Request line plus header fields.
  size_t max_body_bytes = 1 * 1024 * 1024;
  // Deadline for reading one request (header and body) and for writing its response; it
  // is also how long an idle keep-alive connection is kept open.
  std::chrono::seconds read_timeout{30};
  // How long stop() lets in-flight requests finish before run() returns regardless.
  std::chrono::milliseconds shutdown_grace{2000};

  // PEM files. HTTPS (TLS 1.2 or later) is served when both are set.
  std::optional<std::string> tls_certificate_file;
  std::optional<std::string> tls_private_key_file;

  ResponseObserver on_response;  // Optional: metrics.
};

class Server {
 public:
  // Validates the options, loads TLS material and binds and listens, so that a port
  // conflict surfaces here rather than in run(). Returns:
  //   Unavailable     when the address cannot be bound; the message names it, e.g.
  //                   "address 127.0.0.1:8080 is already in use";
  //   InvalidArgument when an option is out of range, the host does not parse or resolve,
  //                   or the TLS files cannot be loaded (the field names the option).
  // Never throws. REQUIRES: handler != nullptr.
  static core::Result<std::unique_ptr<Server>> create(ServerOptions options,
                                                      std::shared_ptr<api::Handler> handler);

  // REQUIRES: run() has returned or was never called.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The bound port (useful after binding port 0).
  uint16_t port() const;
  // True when the server speaks TLS.
  bool secure() const;

  // Serves on options.io_threads threads (the caller's is one of them) and blocks until
  // stop() has drained the connections. Installs no signal handlers.
  // REQUIRES: called at most once.
  void run();

  // Graceful stop: stops accepting, lets requests being handled finish their response
  // (sent with "Connection: close"), closes idle keep-alive connections, and makes run()
  // return once every connection is gone or shutdown_grace has passed. Thread-safe,
  // idempotent, and may be called before run().
  void stop();

  // run(), with SIGINT and SIGTERM turned into stop() for its duration.
  void run_until_signal();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sg::server
